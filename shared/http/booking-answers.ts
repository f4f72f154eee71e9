import type { BookingRefusal, BookOutcome, GetBookingOutcome } from '../bookings/booking-outcomes';
import { refusalError } from '../bookings/booking-outcomes';
import type { CancelOrRefundOutcome } from '../payments/booking-cancellation';
import type { HttpResult } from './http-types';
import { toProblem } from './problem';
import { problemResult } from './write-response';

/**
 * A refusal of the booking rules as its problem+json answer: stated as the domain's typed error and
 * mapped by the one error mapping, so status, problem type, title and headers are those of any other
 * error of the same kind.
 */
function refused(refusal: BookingRefusal): HttpResult {
  return problemResult(toProblem(refusalError(refusal)));
}

/**
 * `book`'s answer: 201 with the new hold; a repeated Idempotency-Key's first answer exactly as it was
 * stored (status and bytes); otherwise the refusal's problem.
 */
export function bookAnswer(outcome: BookOutcome): HttpResult {
  switch (outcome.kind) {
    case 'booked':
      return { status: 201, body: { booking: outcome.booking } };
    case 'replayed':
      return { status: outcome.response.status, body: outcome.response.body };
    default:
      return refused(outcome);
  }
}

/** `getBooking`'s answer: 200 with the booking, or 404. */
export function getBookingAnswer(outcome: GetBookingOutcome): HttpResult {
  return outcome.kind === 'found' ? { status: 200, body: { booking: outcome.booking } } : refused(outcome);
}

/** `cancelBooking`'s answer: 200 with the booking in its new state, or the refusal's problem. */
export function cancelBookingAnswer(outcome: CancelOrRefundOutcome): HttpResult {
  switch (outcome.kind) {
    case 'cancelled':
    case 'refund-requested':
      return { status: 200, body: { booking: outcome.booking } };
    default:
      return refused(outcome);
  }
}
