import { Timestamp } from 'firebase-admin/firestore';
import { createEventAs } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../support/roles';
import {
  availableTickets,
  bookOrFail,
  lapseHold,
  payAndConfirm,
  problemType,
  storedStatus,
  type BookingJson,
  type ProblemJson,
} from './booking-fixtures';

function cancel(user: RoleUser, body: Record<string, unknown>) {
  return callFunction<{ booking: BookingJson } & ProblemJson>('cancelBooking', { token: user.idToken, body });
}

describe('POST /cancelBooking', () => {
  it('cancels a held booking and returns its tickets at once', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 5 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 3);
    expect(await availableTickets(user, event.id)).toBe(7);
    const response = await cancel(user, { bookingId: booking.id });
    expect(response.status).toBe(200);
    expect(response.body.booking).toEqual({ ...booking, status: 'cancelled' });
    expect(await availableTickets(user, event.id)).toBe(10);
  });

  it('releases the tickets exactly once when the cancellation is repeated or raced', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 5 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 3);
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => cancel(user, { bookingId: booking.id })),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    for (const response of responses.filter((candidate) => candidate.status !== 200)) {
      expect(response.status).toBe(409);
      expect(response.body.type).toBe(problemType('invalid-state'));
    }
    expect(await availableTickets(user, event.id)).toBe(10);
  });

  it('refuses a hold whose time ran out and a paid booking with 409 invalid-state', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const user = await createRegisteredUser();
    const lapsed = await bookOrFail(user, event.id, 1);
    await lapseHold(lapsed);
    const late = await cancel(user, { bookingId: lapsed.id });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe(problemType('invalid-state'));
    const paid = await bookOrFail(user, event.id, 1);
    await adminFirestore().collection('bookings').doc(paid.id).update({ status: 'confirmed' });
    const refused = await cancel(user, { bookingId: paid.id });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe(problemType('invalid-state'));
    expect(refused.body.detail).toMatch(/refund/);
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
    const refused = await cancel(user, { bookingId: booking.id });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe(problemType('event-started'));
    expect(await storedStatus(booking.id)).toBe('confirmed');
    expect(await availableTickets(user, event.id)).toBe(8);
  });

  it("answers 404 for someone else's booking and an unknown one, and changes nothing", async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const owner = await createRegisteredUser();
    const booking = await bookOrFail(owner, event.id, 1);
    const response = await cancel(await createRegisteredUser(), { bookingId: booking.id });
    expect(response.status).toBe(404);
    expect(await storedStatus(booking.id)).toBe('held');
    expect((await cancel(owner, { bookingId: 'NoSuchBooking00000000' })).status).toBe(404);
  });

  it('answers 400 to a malformed body, 403 to admins, 401 without a token', async () => {
    const user = await createRegisteredUser();
    expect((await cancel(user, {})).status).toBe(400);
    expect((await cancel(user, { bookingId: 'abc', status: 'cancelled' })).status).toBe(400);
    expect((await cancel(await createCompanyAdmin(), { bookingId: 'abc' })).status).toBe(403);
    expect((await callFunction('cancelBooking', { body: { bookingId: 'abc' } })).status).toBe(401);
  });
});
