import { apiClient, expectData } from '../support/api-client';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../support/roles';
import { notificationFor, pushUserNotification } from './notification-fixtures';

function myNotifications(user: RoleUser, query: { limit?: number; cursor?: string } = {}) {
  return apiClient(user.idToken).GET('/myNotifications', { params: { query } });
}

async function deliverAt(user: RoleUser, minutesAgo: number) {
  const message = notificationFor(user, `change-${minutesAgo}`, new Date(Date.now() - minutesAgo * 60_000));
  const response = await pushUserNotification(message);
  if (response.status !== 204) throw new Error(`deliverUserNotification answered ${response.status}`);
  return message.notificationId;
}

describe('GET /myNotifications', () => {
  it("pages the caller's notifications newest first with an opaque cursor, and nobody else's", async () => {
    const [user, other] = await Promise.all([createRegisteredUser(), createRegisteredUser()]);
    const ids = [];
    for (const minutesAgo of [50, 40, 30, 20, 10]) ids.push(await deliverAt(user, minutesAgo));
    await deliverAt(other, 5);

    const first = expectData(await myNotifications(user, { limit: 2 }), 200);
    expect(first.notifications.map((entry) => entry.notificationId)).toEqual([ids[4], ids[3]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = expectData(await myNotifications(user, { limit: 2, cursor: first.nextCursor ?? '' }), 200);
    expect(second.notifications.map((entry) => entry.notificationId)).toEqual([ids[2], ids[1]]);
    const last = expectData(await myNotifications(user, { limit: 2, cursor: second.nextCursor ?? '' }), 200);
    expect(last.notifications.map((entry) => entry.notificationId)).toEqual([ids[0]]);
    expect(last.nextCursor).toBeNull();
  });

  it('answers 20 by default', async () => {
    const user = await createRegisteredUser();
    await Promise.all(Array.from({ length: 21 }, (_, index) => deliverAt(user, index + 1)));
    const page = expectData(await myNotifications(user), 200);
    expect(page.notifications).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
  });

  it('leaves out notifications older than 90 days, which the TTL policy deletes', async () => {
    const user = await createRegisteredUser();
    await deliverAt(user, 91 * 24 * 60);
    const recent = await deliverAt(user, 1);
    const page = expectData(await myNotifications(user), 200);
    expect(page.notifications.map((entry) => entry.notificationId)).toEqual([recent]);
  });

  it('refuses a bad limit or cursor with 400', async () => {
    const user = await createRegisteredUser();
    for (const query of [
      { limit: '0' },
      { limit: '51' },
      { limit: 'x' },
      { cursor: 'not-a-cursor' },
      { other: '1' },
    ]) {
      const response = await callFunction('myNotifications', { method: 'GET', token: user.idToken, query });
      expect(response.status).toBe(400);
    }
  });

  it('is for users: no token → 401, an admin → 403', async () => {
    expect((await apiClient().GET('/myNotifications')).response.status).toBe(401);
    expect((await myNotifications(await createCompanyAdmin())).response.status).toBe(403);
  });
});
