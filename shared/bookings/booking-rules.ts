import type { DomainError } from '../errors/domain-errors';
import { isCancelled, type StoredEvent } from '../events/event';
import type { Role } from '../users/role';
import { hasStarted } from '../events/event-rules';
import { isLapsedHold, visibleStatus, type Booking } from './booking';
import { refusalError, type CancelRefusal, type EventRefusal } from './booking-outcomes';

/** Who is reading a booking: its owner, or an admin of the event's company. */
export interface BookingReader {
  readonly uid: string;
  readonly role: Role | undefined;
  readonly companyId: string | undefined;
}

/** An event that takes the booking, or why it does not. */
export type Bookability = { readonly kind: 'bookable'; readonly event: StoredEvent } | EventRefusal;

/**
 * The checks that need the event, in the order clients meet them: unknown event, cancelled event, too many
 * tickets for one booking, event already started.
 */
export function bookability(event: StoredEvent | undefined, quantity: number, now: Date): Bookability {
  if (event === undefined) return { kind: 'event-not-found' };
  return bookingRefusal(event, quantity, now) ?? { kind: 'bookable', event };
}

/** Why a booking of `quantity` tickets of an existing event cannot be made now; undefined when it can. */
export function bookingRefusal(event: StoredEvent, quantity: number, now: Date): EventRefusal | undefined {
  if (isCancelled(event)) return { kind: 'event-cancelled' };
  if (quantity > event.maxTicketsPerBooking) {
    return { kind: 'too-many-tickets', maxTicketsPerBooking: event.maxTicketsPerBooking };
  }
  if (hasStarted(event, now)) return { kind: 'event-started' };
  return undefined;
}

/**
 * {@link bookability} for the services that refuse by throwing (joining a waitlist): the event, or the
 * refusal's typed error.
 */
export function assertBookable(event: StoredEvent | undefined, quantity: number, now: Date): StoredEvent {
  const verdict = bookability(event, quantity, now);
  if (verdict.kind !== 'bookable') throw refusalError(verdict);
  return verdict.event;
}

/** The refusal of anything that would sell a cancelled event's tickets (`pay`). */
export function eventCancelled(): DomainError {
  return refusalError({ kind: 'event-cancelled' });
}

/** The booking's owner, or an admin of the company whose event it is (API1: object-level authorization). */
export function canRead(reader: BookingReader, booking: Booking): boolean {
  return booking.userId === reader.uid || (reader.role === 'admin' && reader.companyId === booking.companyId);
}

/** A hold the user may cancel, or why they may not. */
export type Cancellability = { readonly kind: 'cancellable'; readonly booking: Booking } | CancelRefusal;

/**
 * Only the owner may cancel, and only a hold whose payment window is still open; a paid booking needs a
 * refund.
 */
export function cancellability(booking: Booking | undefined, userId: string, now: Date): Cancellability {
  if (booking === undefined || booking.userId !== userId) return { kind: 'booking-not-found' };
  if (booking.status === 'confirmed') return { kind: 'paid-meanwhile' };
  if (booking.status !== 'held' || isLapsedHold(booking, now)) {
    return { kind: 'not-held', status: visibleStatus(booking, now) };
  }
  return { kind: 'cancellable', booking };
}
