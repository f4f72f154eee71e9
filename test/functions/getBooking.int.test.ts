import { createSignedInUser } from '../support/auth-users';
import { createEventAs } from '../support/events';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../support/roles';
import { bookOrFail, lapseHold, problemType, type BookingJson } from './booking-fixtures';

function getBooking(user: RoleUser, id: string) {
  return callFunction<{ booking: BookingJson; type: string }>('getBooking', {
    token: user.idToken,
    query: { id },
  });
}

describe('GET /getBooking', () => {
  it('shows the owner their booking', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);
    const response = await getBooking(user, booking.id);
    expect(response.status).toBe(200);
    expect(response.body.booking).toEqual(booking);
  });

  it("shows an admin of the event's company any booking of its events", async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const booking = await bookOrFail(await createRegisteredUser(), event.id, 1);
    const colleague = await createCompanyAdmin(admin.companyId);
    expect((await getBooking(colleague, booking.id)).body.booking).toEqual(booking);
  });

  it('hides the booking from other users and from admins of other companies', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const booking = await bookOrFail(await createRegisteredUser(), event.id, 1);
    for (const stranger of [await createRegisteredUser(), await createCompanyAdmin()]) {
      const response = await getBooking(stranger, booking.id);
      expect(response.status).toBe(404);
      expect(response.body.type).toBe(problemType('not-found'));
    }
  });

  it('shows a hold whose time ran out as expired before any release ran', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 1);
    await lapseHold(booking);
    expect((await getBooking(user, booking.id)).body.booking.status).toBe('expired');
  });

  it('answers 404 to an unknown id, 400 to a malformed one or an unknown parameter, 401 without a token', async () => {
    const user = await createRegisteredUser();
    expect((await getBooking(user, 'NoSuchBooking00000000')).status).toBe(404);
    expect((await getBooking(user, '../users/x')).status).toBe(400);
    const extra = await callFunction('getBooking', {
      token: user.idToken,
      query: { id: 'abc', all: 'true' },
    });
    expect(extra.status).toBe(400);
    expect((await callFunction('getBooking', { query: { id: 'abc' } })).status).toBe(401);
    const unregistered = await createSignedInUser();
    const response = await callFunction('getBooking', { token: unregistered.idToken, query: { id: 'abc' } });
    expect(response.status).toBe(404);
  });
});
