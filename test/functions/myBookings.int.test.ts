import { createEventAs } from '../support/events';
import { apiClient, expectData } from '../support/api-client';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../support/roles';
import { bookOrFail, lapseHold, type BookingJson } from './booking-fixtures';

function myBookings(user: RoleUser, query: { limit?: number; cursor?: string } = {}) {
  return apiClient(user.idToken).GET('/myBookings', { params: { query } });
}

describe('GET /myBookings', () => {
  it("lists the caller's own bookings, newest first, and nobody else's", async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    const first = await bookOrFail(user, event.id, 1);
    const second = await bookOrFail(user, event.id, 2);
    await bookOrFail(await createRegisteredUser(), event.id, 1);
    const { data, response } = await myBookings(user);
    expect(response.status).toBe(200);
    expect(data).toEqual({ bookings: [second, first], nextCursor: null });
  });

  it('pages with an opaque cursor that visits every booking exactly once', async () => {
    const admin = await createCompanyAdmin();
    const events = await Promise.all([createEventAs(admin), createEventAs(admin), createEventAs(admin)]);
    const user = await createRegisteredUser();
    const made: BookingJson[] = [];
    for (const event of events) {
      made.push(await bookOrFail(user, event.id, 1), await bookOrFail(user, event.id, 1));
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = expectData(
        await myBookings(user, { limit: 4, ...(cursor === undefined ? {} : { cursor }) }),
        200,
      );
      expect(page.bookings.length).toBeLessThanOrEqual(4);
      seen.push(...page.bookings.map((booking) => booking.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(made.map((booking) => booking.id).reverse());
  });

  it('shows lapsed holds as expired', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    await lapseHold(await bookOrFail(user, event.id, 1));
    const { data } = await myBookings(user);
    expect(data?.bookings.map((booking) => booking.status)).toEqual(['expired']);
  });

  it.each([
    ['limit 0', { limit: 0 }],
    ['limit 51', { limit: 51 }],
    ['a limit that is not a number', { limit: 'ten' }],
    ['a cursor it did not issue', { cursor: 'bm90LWEtY3Vyc29y' }],
    ['an unknown parameter', { userId: 'someone-else' }],
  ])('answers 400 to %s', async (_, query: Record<string, string | number>) => {
    // Raw: the typed client sends no parameter of another type or name.
    const token = (await createRegisteredUser()).idToken;
    const response = await callFunction('myBookings', { token, query });
    expect(response.status).toBe(400);
  });

  it('is for registered users only', async () => {
    expect((await apiClient().GET('/myBookings')).response.status).toBe(401);
    expect((await myBookings(await createCompanyAdmin())).response.status).toBe(403);
  });
});
