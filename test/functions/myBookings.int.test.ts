import { createEventAs } from '../support/events';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../support/roles';
import { bookOrFail, lapseHold, type BookingJson } from './booking-fixtures';

interface Page {
  bookings: BookingJson[];
  nextCursor: string | null;
}

function myBookings(user: RoleUser, query: Record<string, string | number | undefined> = {}) {
  return callFunction<Page>('myBookings', { token: user.idToken, query });
}

describe('GET /myBookings', () => {
  it("lists the caller's own bookings, newest first, and nobody else's", async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    const first = await bookOrFail(user, event.id, 1);
    const second = await bookOrFail(user, event.id, 2);
    await bookOrFail(await createRegisteredUser(), event.id, 1);
    const response = await myBookings(user);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ bookings: [second, first], nextCursor: null });
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
      const response = await myBookings(user, { limit: 4, cursor });
      expect(response.status).toBe(200);
      expect(response.body.bookings.length).toBeLessThanOrEqual(4);
      seen.push(...response.body.bookings.map((booking) => booking.id));
      cursor = response.body.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(made.map((booking) => booking.id).reverse());
  });

  it('shows lapsed holds as expired', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    await lapseHold(await bookOrFail(user, event.id, 1));
    expect((await myBookings(user)).body.bookings.map((booking) => booking.status)).toEqual(['expired']);
  });

  it.each([
    ['limit 0', { limit: 0 }],
    ['limit 51', { limit: 51 }],
    ['a limit that is not a number', { limit: 'ten' }],
    ['a cursor it did not issue', { cursor: 'bm90LWEtY3Vyc29y' }],
    ['an unknown parameter', { userId: 'someone-else' }],
  ])('answers 400 to %s', async (_, query) => {
    const response = await myBookings(await createRegisteredUser(), query);
    expect(response.status).toBe(400);
  });

  it('is for registered users only', async () => {
    expect((await callFunction('myBookings')).status).toBe(401);
    expect((await myBookings(await createCompanyAdmin())).status).toBe(403);
  });
});
