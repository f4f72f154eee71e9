import type { Firestore } from 'firebase-admin/firestore';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { Booking } from '../bookings/booking';
import { bookingEvent } from '../bookings/booking-events';
import type { BookingRepository } from '../bookings/booking-repository';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import type { HoldReleaseService } from '../bookings/hold-release-service';
import type { StoredEvent } from '../events/event';
import type { TicketInventory } from '../inventory/inventory-store';
import { logDomainEvents, type DomainEvent } from '../logging/domain-events';
import { logger } from '../logging/logger';
import type { UserNotificationInput, UserNotificationOutbox } from '../notifications/user-notification';
import type { BookingPaymentFieldsRepository } from '../payments/booking-payment-fields';
import { canMovePayment } from '../payments/payment';
import { movePayment } from '../payments/payment-audit';
import type { PaymentRepository } from '../payments/payment-repository';
import type { TicketRepository } from '../tickets/ticket-repository';
import type { RefundQueue } from './refund-queue';

/** The collaborators of {@link BookingSettlement}. */
export interface BookingSettlementDependencies {
  readonly db: Firestore;
  readonly bookings: BookingRepository;
  readonly bookingPayments: BookingPaymentFieldsRepository;
  readonly payments: PaymentRepository;
  readonly tickets: TicketRepository;
  readonly inventory: TicketInventory;
  readonly holdRelease: HoldReleaseService;
  readonly notifications: UserNotificationOutbox;
  readonly refunds: RefundQueue;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/** What settling one booking did; `unchanged` when it was already settled (a repeat, or another path). */
export type SettlementOutcome = 'cancelled' | 'refund_pending' | 'refund_failed' | 'unchanged';

/** The statuses a cancelled event's bookings leave; every other status is final or already on its way. */
export const UNSETTLED_STATUSES = ['held', 'confirmed'] as const satisfies readonly Booking['status'][];

/** The audit actor of every change the fan-out makes; the admin who cancelled is on the event's entry. */
const CANCELLATION_ACTOR: AuditActor = { kind: 'job', job: 'event-cancellation' };

/**
 * The `event.cancelled` notification of one affected user, keyed by the event: the same notification however
 * many of the user's bookings and entries announce it.
 */
export function eventCancelledNotice(event: StoredEvent, userId: string, now: Date): UserNotificationInput {
  return {
    userId,
    type: 'event.cancelled',
    eventId: event.id,
    changeKey: event.id,
    data: {
      eventName: event.name,
      startsAt: event.startsAt.toISOString(),
      reason: event.cancellationReason ?? null,
      cancelledAt: (event.cancelledAt ?? now).toISOString(),
    },
  };
}

/**
 * Settles one booking of a cancelled event in one transaction guarded by its status, so a repeat (a retried
 * run, a worker restarted after a crash) changes nothing: a hold is cancelled and its tickets leave the
 * shards; a confirmed booking becomes `refund_pending`, its tickets `void`, its payment `refund_pending`,
 * and its refund is queued for Stripe (the refund queue makes the Stripe call, at the configured rate). Its
 * owner gets the `event.cancelled` notification keyed by the event, one per user however many bookings.
 */
export class BookingSettlement {
  constructor(private readonly deps: BookingSettlementDependencies) {}

  /** Settles the booking if it is still `held` or `confirmed`. */
  async settle(bookingId: string, event: StoredEvent): Promise<SettlementOutcome> {
    const { outcome, events } = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const [booking, fields] = await Promise.all([
        this.deps.bookings.getIn(tx, bookingId),
        this.deps.bookingPayments.getIn(tx, bookingId),
      ]);
      if (booking === undefined || booking.eventId !== event.id)
        return { outcome: 'unchanged' as const, events: [] };
      const payment =
        booking.status === 'confirmed' && fields.paidByPaymentId !== undefined
          ? await this.deps.payments.getIn(tx, fields.paidByPaymentId)
          : undefined;
      const now = this.deps.clock.now();
      if (booking.status !== 'held' && booking.status !== 'confirmed')
        return { outcome: 'unchanged' as const, events: [] };
      this.deps.notifications.add(tx, eventCancelledNotice(event, booking.userId, now), now);
      if (booking.status === 'held') {
        this.deps.holdRelease.endHold(tx, booking, 'cancelled', now);
        return { outcome: 'cancelled' as const, events: [bookingEvent('booking.cancelled', booking)] };
      }
      this.deps.tickets.voidAll(tx, booking);
      const paymentIntentId = payment?.stripePaymentIntentId;
      if (payment === undefined || paymentIntentId === undefined) {
        // Nothing to refund through Stripe: an admin must settle it by hand, so it must not look pending.
        this.deps.inventory.release(tx, booking.eventId, booking.allocation, 'sold');
        this.deps.bookings.changeStatus(tx, booking.id, 'refund_failed', now);
        return {
          outcome: 'refund_failed' as const,
          events: [bookingEvent('booking.refund_failed', booking)],
        };
      }
      this.deps.bookings.changeStatus(tx, booking.id, 'refund_pending', now);
      this.deps.refunds.add(tx, { bookingId: booking.id, paymentId: payment.id, paymentIntentId }, now);
      const changes: DomainEvent[] = [bookingEvent('booking.refund_requested', booking, payment.id)];
      if (canMovePayment(payment.status, 'refund_pending')) {
        const details = { reason: 'event-cancelled' };
        const change = { payment, booking, to: 'refund_pending' as const, details };
        changes.push(movePayment(this.deps, tx, change, CANCELLATION_ACTOR, now));
      }
      return { outcome: 'refund_pending' as const, events: changes };
    });
    logDomainEvents(events);
    if (outcome === 'refund_failed') {
      logger.error('a confirmed booking of a cancelled event has no Stripe payment to refund', {
        bookingId,
        eventId: event.id,
      });
    }
    return outcome;
  }
}
