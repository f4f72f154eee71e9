import { tokenIdOf } from '../../shared/notifications/device';
import { apiClient } from '../support/api-client';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../support/roles';
import {
  fcmToken,
  notificationFor,
  pushesTo,
  pushUserNotification,
  registerDevice,
  storedDevices,
} from './notification-fixtures';

async function ownerOf(token: string): Promise<unknown> {
  return (await adminFirestore().collection('deviceTokens').doc(tokenIdOf(token)).get()).data()?.['uid'];
}

function unregister(user: RoleUser, token: string) {
  return apiClient(user.idToken).POST('/unregisterDevice', { body: { fcmToken: token } });
}

describe('POST /registerDevice', () => {
  it('registers the device under its token hash, and registering it again keeps one device', async () => {
    const user = await createRegisteredUser();
    const token = fcmToken();
    await registerDevice(user, token, 'android');
    await registerDevice(user, token, 'android');
    expect(await storedDevices(user)).toEqual([
      { id: tokenIdOf(token), fcmToken: token, platform: 'android', registeredAt: expect.anything() },
    ]);
    expect(await ownerOf(token)).toBe(user.uid);
  });

  it('moves a token registered by another user to the caller (a phone changed hands)', async () => {
    const [seller, buyer] = await Promise.all([createRegisteredUser(), createRegisteredUser()]);
    const token = fcmToken();
    await registerDevice(seller, token);
    await registerDevice(buyer, token);

    expect(await storedDevices(seller)).toEqual([]);
    expect((await storedDevices(buyer)).map((device) => device.id)).toEqual([tokenIdOf(token)]);
    expect(await ownerOf(token)).toBe(buyer.uid);
    expect((await pushUserNotification(notificationFor(seller))).status).toBe(204);
    expect(await pushesTo(token)).toEqual([]);
  });

  it('keeps at most 10 devices per user: the 11th registration drops the oldest', async () => {
    const user = await createRegisteredUser();
    const tokens = Array.from({ length: 11 }, () => fcmToken());
    for (const token of tokens) await registerDevice(user, token);

    const kept = (await storedDevices(user)).map((device) => device.id).sort();
    expect(kept).toEqual(tokens.slice(1).map(tokenIdOf).sort());
    expect(await ownerOf(tokens[0] ?? '')).toBeUndefined();
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const user = await createRegisteredUser();
    const bodies = [
      { fcmToken: fcmToken(), platform: 'windows' },
      { fcmToken: '', platform: 'ios' },
      { fcmToken: 'has spaces', platform: 'ios' },
      { fcmToken: fcmToken(), platform: 'ios', userId: 'someone-else' },
      { platform: 'ios' },
    ];
    for (const body of bodies) {
      const response = await callFunction('registerDevice', { token: user.idToken, body });
      expect(response.status).toBe(400);
    }
    expect(await storedDevices(user)).toEqual([]);
  });

  it('is for users: no token → 401, an admin → 403', async () => {
    expect(
      (await apiClient().POST('/registerDevice', { body: { fcmToken: fcmToken(), platform: 'ios' } }))
        .response.status,
    ).toBe(401);
    const admin = await createCompanyAdmin();
    const answer = await apiClient(admin.idToken).POST('/registerDevice', {
      body: { fcmToken: fcmToken(), platform: 'ios' },
    });
    expect(answer.response.status).toBe(403);
  });
});

describe('POST /unregisterDevice', () => {
  it("removes the caller's device; another user's token answers 204 and stays theirs", async () => {
    const [owner, stranger] = await Promise.all([createRegisteredUser(), createRegisteredUser()]);
    const token = fcmToken();
    await registerDevice(owner, token);

    expect((await unregister(stranger, token)).response.status).toBe(204);
    expect((await storedDevices(owner)).map((device) => device.id)).toEqual([tokenIdOf(token)]);
    expect(await ownerOf(token)).toBe(owner.uid);

    expect((await unregister(owner, token)).response.status).toBe(204);
    expect(await storedDevices(owner)).toEqual([]);
    expect(await ownerOf(token)).toBeUndefined();
    expect((await unregister(owner, token)).response.status).toBe(204);
  });

  it('refuses a body without a token with 400', async () => {
    const user = await createRegisteredUser();
    const response = await callFunction('unregisterDevice', { token: user.idToken, body: {} });
    expect(response.status).toBe(400);
  });
});
