import { createSignedInUser } from '../support/auth-users';
import { createEventAs } from '../support/events';
import { apiClient } from '../support/api-client';
import { callFunction } from '../support/http-client';
import type { SignedInUser } from '../support/auth-users';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import { bookOrFail, lapseHold, problemType } from './booking-fixtures';

function getBooking(user: SignedInUser, id: string) {
  return apiClient(user.idToken).GET('/getBooking', { params: { query: { id } } });
}

describe('GET /getBooking', () => {
  it('shows the owner their booking', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);
    const { data, response } = await getBooking(user, booking.id);
    expect(response.status).toBe(200);
    expect(data?.booking).toEqual(booking);
  });

  it("shows an admin of the event's company any booking of its events", async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const booking = await bookOrFail(await createRegisteredUser(), event.id, 1);
    const colleague = await createCompanyAdmin(admin.companyId);
    expect((await getBooking(colleague, booking.id)).data?.booking).toEqual(booking);
  });

  it('hides the booking from other users and from admins of other companies', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const booking = await bookOrFail(await createRegisteredUser(), event.id, 1);
    for (const stranger of [await createRegisteredUser(), await createCompanyAdmin()]) {
      const { error, response } = await getBooking(stranger, booking.id);
      expect(response.status).toBe(404);
      expect(error?.type).toBe(problemType('not-found'));
    }
  });

  it('shows a hold whose time ran out as expired before any release ran', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 1);
    await lapseHold(booking);
    expect((await getBooking(user, booking.id)).data?.booking.status).toBe('expired');
  });

  it('answers 404 to an unknown id, 400 to a malformed one or an unknown parameter, 401 without a token', async () => {
    const user = await createRegisteredUser();
    expect((await getBooking(user, 'NoSuchBooking00000000')).response.status).toBe(404);
    expect((await getBooking(user, '../users/x')).response.status).toBe(400);
    const extra = await callFunction('getBooking', {
      token: user.idToken,
      query: { id: 'abc', all: 'true' },
    });
    expect(extra.status).toBe(400);
    const anonymous = await apiClient().GET('/getBooking', { params: { query: { id: 'abc' } } });
    expect(anonymous.response.status).toBe(401);
    const unregistered = await createSignedInUser();
    expect((await getBooking(unregistered, 'abc')).response.status).toBe(404);
  });
});
