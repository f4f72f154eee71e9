import type { PaymentChange } from '../payments/payment';
import { logger } from './logger';

/** The business facts worth a log line of their own, named `<aggregate>.<what happened>`. */
export type DomainEventName =
  | 'booking.held'
  | 'booking.confirmed'
  | 'booking.expired'
  | 'booking.cancelled'
  | 'booking.refund_requested'
  | 'booking.refunded'
  | 'booking.refund_failed'
  | PaymentChange;

/**
 * What a domain event may carry: ids, counts and amounts only. The closed list is the guarantee that card
 * data, client secrets and tokens never reach the logs, whatever a caller has at hand.
 */
export interface DomainEventFields {
  readonly eventId?: string;
  readonly bookingId?: string;
  readonly userId?: string;
  readonly paymentId?: string;
  readonly quantity?: number;
  /** Minor units. */
  readonly amount?: number;
  readonly currency?: string;
  /** The state the aggregate left, where it had one before. */
  readonly from?: string;
}

/** A domain event to log once its transaction has committed. */
export interface DomainEvent {
  readonly name: DomainEventName;
  readonly fields: DomainEventFields;
}

const FIELD_NAMES: readonly (keyof DomainEventFields)[] = [
  'eventId',
  'bookingId',
  'userId',
  'paymentId',
  'quantity',
  'amount',
  'currency',
  'from',
];

/**
 * Logs one domain event as a structured line (`domainEvent` holds its name), in the request's trace.
 * Call it after the transaction that made the change has committed: a transaction body runs once per
 * attempt, so logging inside it would report changes that were retried or never happened. Only the listed
 * fields are copied, so an object with more properties (a payment, a booking) cannot leak anything else.
 */
export function logDomainEvent(event: DomainEvent): void {
  const fields: Record<string, unknown> = { domainEvent: event.name };
  for (const name of FIELD_NAMES) {
    const value = event.fields[name];
    if (value !== undefined) fields[name] = value;
  }
  logger.info(event.name, fields);
}

/** Logs several domain events in order (see {@link logDomainEvent}). */
export function logDomainEvents(events: readonly DomainEvent[]): void {
  for (const event of events) logDomainEvent(event);
}
