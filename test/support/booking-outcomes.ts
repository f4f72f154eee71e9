import type { BookingResponse } from '../../shared/bookings/booking';
import type { BookOutcome } from '../../shared/bookings/booking-outcomes';

/** The hold a `book` call made; fails the test, naming the outcome, when it made none. */
export function bookedOf(outcome: BookOutcome): BookingResponse {
  if (outcome.kind !== 'booked') throw new Error(`expected a hold, got ${JSON.stringify(outcome)}`);
  return outcome.booking;
}
