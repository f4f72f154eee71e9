import { Timestamp } from 'firebase-admin/firestore';
import { createEventAs } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { apiClient } from '../support/api-client';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../support/roles';
import {
  availableTickets,
  bookOrFail,
  lapseHold,
  payAndConfirm,
  problemType,
  storedStatus,
} from './booking-fixtures';

function cancel(user: RoleUser, bookingId: string) {
  return apiClient(user.idToken).POST('/cancelBooking', { body: { bookingId } });
}

describe('POST /cancelBooking', () => {
  it('cancels a held booking and returns its tickets at once', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 5 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 3);
    expect(await availableTickets(user, event.id)).toBe(7);
    const { data, response } = await cancel(user, booking.id);
    expect(response.status).toBe(200);
    expect(data?.booking).toEqual({ ...booking, status: 'cancelled' });
    expect(await availableTickets(user, event.id)).toBe(10);
  });

  it('releases the tickets exactly once when the cancellation is repeated or raced', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 5 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 3);
    const responses = await Promise.all(Array.from({ length: 4 }, () => cancel(user, booking.id)));
    expect(responses.filter((answer) => answer.response.status === 200)).toHaveLength(1);
    for (const answer of responses.filter((candidate) => candidate.response.status !== 200)) {
      expect(answer.response.status).toBe(409);
      expect(answer.error?.type).toBe(problemType('invalid-state'));
    }
    expect(await availableTickets(user, event.id)).toBe(10);
  });

  it('refuses a hold whose time ran out and a paid booking with 409 invalid-state', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    const lapsed = await bookOrFail(user, event.id, 1);
    await lapseHold(lapsed);
    const late = await cancel(user, lapsed.id);
    expect(late.response.status).toBe(409);
    expect(late.error?.type).toBe(problemType('invalid-state'));
    const paid = await bookOrFail(user, event.id, 1);
    await adminFirestore().collection('bookings').doc(paid.id).update({ status: 'confirmed' });
    const refused = await cancel(user, paid.id);
    expect(refused.response.status).toBe(409);
    expect(refused.error?.type).toBe(problemType('invalid-state'));
    expect(refused.error?.detail).toMatch(/refund/);
    expect(await storedStatus(paid.id)).toBe('confirmed');
  });

  it('refuses to refund a paid booking once its event has started (409 event-started)', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);
    await payAndConfirm(user, booking.id);
    await adminFirestore()
      .collection('events')
      .doc(event.id)
      .update({ startsAt: Timestamp.fromMillis(Date.now() - 60_000) });
    const refused = await cancel(user, booking.id);
    expect(refused.response.status).toBe(409);
    expect(refused.error?.type).toBe(problemType('event-started'));
    expect(await storedStatus(booking.id)).toBe('confirmed');
    expect(await availableTickets(user, event.id)).toBe(8);
  });

  it("answers 404 for someone else's booking and an unknown one, and changes nothing", async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const owner = await createRegisteredUser();
    const booking = await bookOrFail(owner, event.id, 1);
    const { response } = await cancel(await createRegisteredUser(), booking.id);
    expect(response.status).toBe(404);
    expect(await storedStatus(booking.id)).toBe('held');
    expect((await cancel(owner, 'NoSuchBooking00000000')).response.status).toBe(404);
  });

  it('answers 400 to a malformed body, 403 to admins, 401 without a token', async () => {
    const user = await createRegisteredUser();
    const raw = (body: Record<string, unknown>) =>
      callFunction('cancelBooking', { token: user.idToken, body });
    expect((await raw({})).status).toBe(400);
    expect((await raw({ bookingId: 'abc', status: 'cancelled' })).status).toBe(400);
    expect((await cancel(await createCompanyAdmin(), 'abc')).response.status).toBe(403);
    expect((await apiClient().POST('/cancelBooking', { body: { bookingId: 'abc' } })).response.status).toBe(
      401,
    );
  });
});
