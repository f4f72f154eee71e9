import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-errors';
import { isCancelled, type StoredEvent } from '../events/event';
import type { Role } from '../users/role';
import { hasStarted } from '../events/event-rules';
import { isLapsedHold, visibleStatus, type Booking } from './booking';

/** Who is reading a booking: its owner, or an admin of the event's company. */
export interface BookingReader {
  readonly uid: string;
  readonly role: Role | undefined;
  readonly companyId: string | undefined;
}

/** The answer for a booking that does not exist or is someone else's: the two are never told apart. */
export function bookingNotFound(): NotFoundError {
  return new NotFoundError('No booking with this id.');
}

/**
 * The checks that need the event, in the order clients meet them: unknown event (404), cancelled event
 * (409), too many tickets for one booking (400), event already started (409).
 */
export function assertBookable(event: StoredEvent | undefined, quantity: number, now: Date): StoredEvent {
  if (event === undefined) throw new NotFoundError('No event with this id.');
  const refusal = bookingRefusal(event, quantity, now);
  if (refusal !== undefined) throw refusal;
  return event;
}

/** Why a booking of `quantity` tickets of an existing event cannot be made now; undefined when it can. */
export function bookingRefusal(
  event: StoredEvent,
  quantity: number,
  now: Date,
): ValidationError | ConflictError | undefined {
  if (isCancelled(event)) return eventCancelled();
  if (quantity > event.maxTicketsPerBooking) {
    return new ValidationError('The request body is invalid.', [
      {
        path: 'quantity',
        message: `At most ${event.maxTicketsPerBooking} tickets per booking for this event.`,
      },
    ]);
  }
  if (hasStarted(event, now)) {
    return new ConflictError(
      'event-started',
      'The event has already started; its tickets are no longer on sale.',
    );
  }
  return undefined;
}

/** The refusal of anything that would sell a cancelled event's tickets (`book`, `pay`). */
export function eventCancelled(): ConflictError {
  return new ConflictError('event-cancelled', 'The event is cancelled; its tickets are no longer on sale.');
}

/** The booking's owner, or an admin of the company whose event it is (API1: object-level authorization). */
export function canRead(reader: BookingReader, booking: Booking): boolean {
  return booking.userId === reader.uid || (reader.role === 'admin' && reader.companyId === booking.companyId);
}

/**
 * Only the owner may cancel, and only a hold whose payment window is still open; a paid booking needs a
 * refund, which arrives with payments.
 */
export function assertCancellable(
  booking: Booking | undefined,
  userId: string,
  now: Date,
): asserts booking is Booking {
  if (booking === undefined || booking.userId !== userId) throw bookingNotFound();
  if (booking.status === 'confirmed') {
    throw new ConflictError(
      'invalid-state',
      'This booking was paid meanwhile; cancel it again to have it refunded.',
    );
  }
  if (booking.status !== 'held' || isLapsedHold(booking, now)) {
    throw new ConflictError(
      'invalid-state',
      `Only a held booking can be cancelled; this one is ${visibleStatus(booking, now)}.`,
    );
  }
}
