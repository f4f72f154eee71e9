import { ConflictError, NotFoundError, ValidationError, type DomainError } from '../errors/domain-errors';
import type { BookingResponse, BookingStatus } from './booking';
import type { KeyReplay } from './idempotency';

/**
 * Why an event takes no booking of this many tickets now, in the order clients meet the checks: unknown
 * event, cancelled event, too many tickets for one booking, event already started.
 */
export type EventRefusal =
  | { readonly kind: 'event-not-found' }
  | { readonly kind: 'event-cancelled' }
  | { readonly kind: 'too-many-tickets'; readonly maxTicketsPerBooking: number }
  | { readonly kind: 'event-started' };

/** The user's live holds on the event plus this booking would exceed the event's per-user cap. */
export interface HoldLimitReached {
  readonly kind: 'hold-limit-reached';
  /** Tickets the user holds in live holds already. */
  readonly held: number;
  readonly maxTicketsPerBooking: number;
}

/** A hold was made (or found made by an earlier attempt of the same request). */
export interface Booked {
  readonly kind: 'booked';
  readonly booking: BookingResponse;
}

/** What `book` came to: a hold, a replayed first answer, or one of the refusals of the booking rules. */
export type BookOutcome =
  Booked | KeyReplay | EventRefusal | HoldLimitReached | { readonly kind: 'sold-out' };

/** A booking that does not exist or is not the caller's: the two are never told apart. */
export interface BookingNotFound {
  readonly kind: 'booking-not-found';
}

/** What `getBooking` came to. */
export type GetBookingOutcome =
  { readonly kind: 'found'; readonly booking: BookingResponse } | BookingNotFound;

/**
 * Why a booking cannot be cancelled as a hold: not the caller's, paid since the caller looked (cancelling
 * it again refunds it), or in a state that is not an open hold (`status` as clients see it).
 */
export type CancelRefusal =
  | BookingNotFound
  | { readonly kind: 'paid-meanwhile' }
  | { readonly kind: 'not-held'; readonly status: BookingStatus };

/** What cancelling a hold came to. */
export type CancelBookingOutcome =
  { readonly kind: 'cancelled'; readonly booking: BookingResponse } | CancelRefusal;

/** Every outcome in which the booking rules refuse the request and nothing was changed. */
export type BookingRefusal =
  Exclude<BookOutcome, Booked | { readonly kind: 'replayed' }> | BookingNotFound | CancelRefusal;

/**
 * The typed domain error that states a refusal: the HTTP layer answers it through the one error mapping
 * (`shared/http/problem.ts`), and services that refuse by throwing (joining a waitlist checks the event
 * as `book` does) throw it, so every refusal reads the same wherever it is met.
 */
export function refusalError(refusal: BookingRefusal): DomainError {
  switch (refusal.kind) {
    case 'event-not-found':
      return new NotFoundError('No event with this id.');
    case 'event-cancelled':
      return new ConflictError(
        'event-cancelled',
        'The event is cancelled; its tickets are no longer on sale.',
      );
    case 'too-many-tickets':
      return new ValidationError('The request body is invalid.', [
        {
          path: 'quantity',
          message: `At most ${refusal.maxTicketsPerBooking} tickets per booking for this event.`,
        },
      ]);
    case 'event-started':
      return new ConflictError(
        'event-started',
        'The event has already started; its tickets are no longer on sale.',
      );
    case 'hold-limit-reached':
      return new ConflictError(
        'hold-limit-reached',
        `You already hold ${refusal.held} ticket(s) for this event; at most ${refusal.maxTicketsPerBooking} ` +
          'may be held at once. Pay for or cancel an open booking first.',
      );
    case 'sold-out':
      return new ConflictError('sold-out', 'Not enough tickets are left for this booking.');
    case 'idempotency-key-reused':
      return new ConflictError(
        'idempotency-key-reused',
        'This Idempotency-Key was already used with a different request; use a new key for a new request.',
      );
    case 'booking-not-found':
      return new NotFoundError('No booking with this id.');
    case 'paid-meanwhile':
      return new ConflictError(
        'invalid-state',
        'This booking was paid meanwhile; cancel it again to have it refunded.',
      );
    case 'not-held':
      return new ConflictError(
        'invalid-state',
        `Only a held booking can be cancelled; this one is ${refusal.status}.`,
      );
  }
}
