import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { Booking } from '../bookings/booking';
import { bookingEvent } from '../bookings/booking-events';
import type { BookingRepository } from '../bookings/booking-repository';
import type { Clock } from '../bookings/clock';
import { runTransactionWithRetry } from '../bookings/contention-retry';
import type { UserHoldRepository } from '../bookings/user-hold-repository';
import { ValidationError } from '../errors/domain-errors';
import type { TicketInventory } from '../inventory/inventory-store';
import { logDomainEvents, type DomainEvent } from '../logging/domain-events';
import { logger } from '../logging/logger';
import type { OutboxRelay } from '../pubsub/outbox-relay';
import type { OutboxRecord, OutboxRepository } from '../pubsub/outbox-repository';
import type { TicketRepository } from '../tickets/ticket-repository';
import type { SalesLedger } from '../sales/sales-ledger';
import type { BookingPaymentFieldsRepository } from './booking-payment-fields';
import { canMovePayment, refundIdempotencyKey, type Payment, type PaymentStatus } from './payment';
import { movePayment } from './payment-audit';
import { PAYMENT_CONFIRMED_TOPIC, type PaymentConfirmed } from './payment-confirmed';
import { WebhookSignatureError, type PaymentGateway } from './payment-gateway';
import type { PaymentRepository } from './payment-repository';
import type { StripeEventLog } from './stripe-event-log';

/** The collaborators of {@link PaymentWebhookService}. */
export interface PaymentWebhookDependencies {
  readonly db: Firestore;
  readonly bookings: BookingRepository;
  readonly bookingPayments: BookingPaymentFieldsRepository;
  readonly holds: UserHoldRepository;
  readonly inventory: TicketInventory;
  readonly payments: PaymentRepository;
  readonly events: StripeEventLog;
  readonly outbox: OutboxRepository;
  readonly relay: OutboxRelay;
  readonly audit: AuditLog;
  readonly sales: SalesLedger;
  readonly tickets: TicketRepository;
  readonly gateway: PaymentGateway;
  readonly clock: Clock;
}

/** What the webhook did with an event; logged and returned to Stripe for the delivery log. */
export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

/** The payment status each handled event type asks for. */
const TARGET_STATUS: Readonly<Record<string, PaymentStatus>> = {
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'canceled',
  'charge.refunded': 'refunded',
};

/** What a committed transaction leaves to do outside it. */
interface FollowUp {
  readonly publish?: OutboxRecord;
  /** Logged once the transaction has committed. */
  readonly events: readonly DomainEvent[];
}

const NOTHING: FollowUp = { events: [] };

/**
 * Applies Stripe webhooks to payments and bookings. Each event is applied in one transaction that also
 * records its id, so redeliveries change nothing; states only move forward, so late or reordered events
 * cannot undo newer ones. Side effects on other systems (Pub/Sub, refunds) run after the commit and are
 * idempotent, and they are derived from the stored state, so a redelivery after a crash completes them.
 */
export class PaymentWebhookService {
  constructor(private readonly deps: PaymentWebhookDependencies) {}

  /**
   * Verifies and applies one delivery.
   *
   * @throws ValidationError (400) when the signature does not verify; nothing changes then
   */
  async handle(rawBody: Buffer, signature: string | undefined): Promise<{ outcome: WebhookOutcome }> {
    const event = this.verified(rawBody, signature);
    const target = TARGET_STATUS[event.type];
    if (target === undefined || event.paymentIntentId === undefined) return { outcome: 'ignored' };
    // Re-read from Stripe rather than trust the payload's snapshot, which may be older than other events.
    const intent = await this.deps.gateway.retrievePaymentIntent(event.paymentIntentId);
    const paymentId = intent.paymentId;
    if (paymentId === undefined) return { outcome: 'ignored' };
    if (target === 'succeeded' && intent.status !== 'succeeded') {
      throw new Error(`PaymentIntent ${intent.id} is ${intent.status} although Stripe reported it succeeded`);
    }

    const result = await runTransactionWithRetry(this.deps.db, async (tx) => {
      if (await this.deps.events.seenIn(tx, event.id)) return undefined;
      const followUp = await this.apply(tx, paymentId, target, event.id);
      this.deps.events.record(tx, event.id, event.type, this.deps.clock.now());
      return followUp;
    });
    if (result !== undefined) logDomainEvents(result.events);
    if (result?.publish !== undefined) await this.deps.relay.relay(result.publish);
    await this.refundIfPending(paymentId, intent.id);
    logger.info('stripe event handled', { eventId: event.id, type: event.type, paymentId });
    return { outcome: result === undefined ? 'duplicate' : 'applied' };
  }

  private verified(rawBody: Buffer, signature: string | undefined) {
    try {
      return this.deps.gateway.verifyWebhook(rawBody, signature);
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      throw new ValidationError('The Stripe signature is invalid.', [
        { path: 'Stripe-Signature', message: error.message },
      ]);
    }
  }

  private async apply(
    tx: Transaction,
    paymentId: string,
    target: PaymentStatus,
    stripeEventId: string,
  ): Promise<FollowUp> {
    const payment = await this.deps.payments.getIn(tx, paymentId);
    if (payment === undefined) return NOTHING;
    const [booking, fields] = await Promise.all([
      this.deps.bookings.getIn(tx, payment.bookingId),
      this.deps.bookingPayments.getIn(tx, payment.bookingId),
    ]);
    if (booking === undefined || !canMovePayment(payment.status, target)) return NOTHING;
    const now = this.deps.clock.now();
    const actor: AuditActor = { kind: 'stripe', stripeEventId };
    if (target === 'succeeded')
      return this.applySuccess(tx, payment, booking, fields.paidByPaymentId, actor, now);
    const refunded =
      target === 'refunded' && fields.paidByPaymentId === payment.id
        ? this.applyRefund(tx, payment, booking, fields.confirmedAt, now)
        : [];
    return {
      events: [movePayment(this.deps, tx, { payment, booking, to: target }, actor, now), ...refunded],
    };
  }

  /**
   * A held booking is confirmed with its tickets sold. A booking whose hold already ended is confirmed only
   * if its seats can be reserved again (at the prices it fixed); otherwise, or when another payment already
   * confirmed it, this payment is refunded.
   */
  private async applySuccess(
    tx: Transaction,
    payment: Payment,
    booking: Booking,
    paidBy: string | undefined,
    actor: AuditActor,
    now: Date,
  ): Promise<FollowUp> {
    const reserved =
      booking.status === 'expired'
        ? await this.deps.inventory.prepareReservation(tx, booking.eventId, booking.quantity, undefined)
        : undefined;
    if (booking.status === 'held') {
      this.deps.inventory.markSold(tx, booking.eventId, booking.allocation);
      this.deps.holds.remove(tx, booking.userId, booking.eventId, booking.id);
      return this.confirm(tx, payment, booking, booking.allocation, actor, now);
    }
    if (reserved !== undefined && paidBy === undefined) {
      reserved.apply();
      this.deps.inventory.markSold(tx, booking.eventId, reserved.reservation.takes);
      return this.confirm(tx, payment, booking, reserved.reservation.takes, actor, now);
    }
    return { events: [movePayment(this.deps, tx, { payment, booking, to: 'refund_pending' }, actor, now)] };
  }

  private confirm(
    tx: Transaction,
    payment: Payment,
    booking: Booking,
    allocation: Booking['allocation'],
    actor: AuditActor,
    now: Date,
  ): FollowUp {
    const succeeded = movePayment(this.deps, tx, { payment, booking, to: 'succeeded' }, actor, now);
    this.deps.bookingPayments.confirm(tx, booking.id, payment.id, allocation, now);
    this.deps.sales.recordSale(tx, { ...booking, allocation }, now);
    const message: PaymentConfirmed = {
      bookingId: booking.id,
      userId: booking.userId,
      eventId: booking.eventId,
      paymentId: payment.id,
      amount: payment.amount,
      currency: payment.currency,
      confirmedAt: now.toISOString(),
    };
    const publish = this.deps.outbox.add(
      tx,
      { topic: PAYMENT_CONFIRMED_TOPIC, data: JSON.stringify(message), orderingKey: booking.id },
      now,
    );
    return { publish, events: [succeeded, bookingEvent('booking.confirmed', booking, payment.id)] };
  }

  /**
   * A refund of the payment that paid the booking ends the booking, voids its tickets, returns the seats
   * and counts the refund against the day of the sale.
   */
  private applyRefund(
    tx: Transaction,
    payment: Payment,
    booking: Booking,
    confirmedAt: Date | undefined,
    now: Date,
  ): DomainEvent[] {
    if (booking.status !== 'confirmed' && booking.status !== 'refund_pending') return [];
    this.deps.inventory.release(tx, booking.eventId, booking.allocation, 'sold');
    // A booking confirmed before the sales ledger existed was never counted, so neither is its refund.
    if (confirmedAt !== undefined) this.deps.sales.recordRefund(tx, booking, confirmedAt);
    this.deps.bookingPayments.markRefunded(tx, booking.id, now);
    this.deps.tickets.voidAll(tx, booking);
    return [bookingEvent('booking.refunded', booking, payment.id)];
  }

  /** Completes a refund that a transaction decided on; Stripe's idempotency key makes it happen once. */
  private async refundIfPending(paymentId: string, paymentIntentId: string): Promise<void> {
    const payment = await this.deps.payments.find(paymentId);
    if (payment?.status !== 'refund_pending') return;
    await this.deps.gateway.refundPaymentIntent(paymentIntentId, refundIdempotencyKey(paymentId));
  }
}
