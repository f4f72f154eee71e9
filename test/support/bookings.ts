import type { Booking, BookingResponse } from '../../shared/bookings/booking';
import type { BookOutcome } from '../../shared/bookings/booking-outcomes';

/** A stored hold of two tickets at different prices, open from 10:00 to 10:15 UTC on 1 January 2030. */
export const storedHold: Booking = {
  id: 'b1',
  eventId: 'e1',
  userId: 'u1',
  companyId: 'c1',
  quantity: 2,
  status: 'held',
  unitPrices: [1000, 1500],
  total: 2500,
  currency: 'EUR',
  allocation: [{ shardId: 'base-0', pool: 'base', quantity: 2 }],
  expiresAt: new Date('2030-01-01T10:15:00Z'),
  createdAt: new Date('2030-01-01T10:00:00Z'),
  updatedAt: new Date('2030-01-01T10:00:00Z'),
};

/** The hold a `book` call made; fails the test, naming the outcome, when it made none. */
export function bookedOf(outcome: BookOutcome): BookingResponse {
  if (outcome.kind !== 'booked') throw new Error(`expected a hold, got ${JSON.stringify(outcome)}`);
  return outcome.booking;
}
