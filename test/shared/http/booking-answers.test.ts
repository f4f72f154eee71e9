import { toBookingResponse } from '../../../shared/bookings/booking';
import type { BookingRefusal, BookOutcome } from '../../../shared/bookings/booking-outcomes';
import { rememberedAnswer } from '../../../shared/bookings/idempotency';
import { bookAnswer, cancelBookingAnswer, getBookingAnswer } from '../../../shared/http/booking-answers';
import { storedHold } from '../../support/bookings';

const now = new Date('2030-01-01T10:01:00Z');

const booking = toBookingResponse(storedHold, now);

/** The bytes a result's body is written as (`writeResult` sends a string body as it is). */
function bytesOf(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('bookAnswer', () => {
  it('answers a new hold 201 with the booking envelope', () => {
    expect(bookAnswer({ kind: 'booked', booking })).toEqual({ status: 201, body: { booking } });
  });

  it('replays a remembered first answer with the status and bytes the first request got', () => {
    const first = bookAnswer({ kind: 'booked', booking });
    const replay = bookAnswer({ kind: 'replayed', response: rememberedAnswer(booking) });
    expect(replay.status).toBe(first.status);
    expect(bytesOf(replay.body)).toBe(bytesOf(first.body));
    expect(replay.contentType).toBeUndefined();
  });

  it.each<[Extract<BookOutcome, BookingRefusal>, number, string, string]>([
    [{ kind: 'event-not-found' }, 404, 'not-found', 'No event with this id.'],
    [
      { kind: 'event-cancelled' },
      409,
      'event-cancelled',
      'The event is cancelled; its tickets are no longer on sale.',
    ],
    [
      { kind: 'event-started' },
      409,
      'event-started',
      'The event has already started; its tickets are no longer on sale.',
    ],
    [
      { kind: 'hold-limit-reached', held: 3, maxTicketsPerBooking: 4 },
      409,
      'hold-limit-reached',
      'You already hold 3 ticket(s) for this event; at most 4 may be held at once. ' +
        'Pay for or cancel an open booking first.',
    ],
    [{ kind: 'sold-out' }, 409, 'sold-out', 'Not enough tickets are left for this booking.'],
    [
      { kind: 'idempotency-key-reused' },
      409,
      'idempotency-key-reused',
      'This Idempotency-Key was already used with a different request; use a new key for a new request.',
    ],
  ])('answers the refusal %j as %i %s', (refusal, status, slug, detail) => {
    const answer = bookAnswer(refusal);
    expect(answer).toMatchObject({ status, headers: {}, contentType: PROBLEM });
    expect(answer.body).toEqual({
      type: `https://errors.event-manager.dev/${slug}`,
      title: expect.any(String),
      status,
      detail,
    });
  });

  it('answers too many tickets for one booking as a 400 naming the quantity field', () => {
    const answer = bookAnswer({ kind: 'too-many-tickets', maxTicketsPerBooking: 4 });
    expect(answer).toMatchObject({ status: 400, contentType: PROBLEM });
    expect(answer.body).toEqual({
      type: 'https://errors.event-manager.dev/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'The request body is invalid.',
      errors: [{ path: 'quantity', message: 'At most 4 tickets per booking for this event.' }],
    });
  });
});

describe('getBookingAnswer', () => {
  it('answers 200 with the booking, or 404 for one the reader may not see', () => {
    expect(getBookingAnswer({ kind: 'found', booking })).toEqual({ status: 200, body: { booking } });
    expect(getBookingAnswer({ kind: 'booking-not-found' })).toMatchObject({
      status: 404,
      body: { type: 'https://errors.event-manager.dev/not-found', detail: 'No booking with this id.' },
    });
  });
});

describe('cancelBookingAnswer', () => {
  it('answers 200 with the booking in its new state, cancelled or being refunded', () => {
    expect(cancelBookingAnswer({ kind: 'cancelled', booking })).toEqual({ status: 200, body: { booking } });
    const refunding = { ...booking, status: 'refund_pending' as const };
    expect(cancelBookingAnswer({ kind: 'refund-requested', booking: refunding })).toEqual({
      status: 200,
      body: { booking: refunding },
    });
  });

  it('answers a hold that cannot be cancelled 409 invalid-state saying why, and a stranger 404', () => {
    expect(cancelBookingAnswer({ kind: 'paid-meanwhile' })).toMatchObject({
      status: 409,
      body: {
        type: 'https://errors.event-manager.dev/invalid-state',
        title: 'Invalid state',
        detail: 'This booking was paid meanwhile; cancel it again to have it refunded.',
      },
    });
    expect(cancelBookingAnswer({ kind: 'not-held', status: 'expired' })).toMatchObject({
      status: 409,
      body: {
        type: 'https://errors.event-manager.dev/invalid-state',
        detail: 'Only a held booking can be cancelled; this one is expired.',
      },
    });
    expect(cancelBookingAnswer({ kind: 'booking-not-found' })).toMatchObject({ status: 404 });
  });
});
