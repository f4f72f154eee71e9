import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { Booking } from '../bookings/booking';
import type { BookingRepository } from '../bookings/booking-repository';
import type { Clock } from '../bookings/clock';
import { runTransactionWithRetry } from '../bookings/contention-retry';
import type { UserHoldRepository } from '../bookings/user-hold-repository';
import { ValidationError } from '../errors/domain-errors';
import type { TicketInventory } from '../inventory/inventory-store';
import { logger } from '../logging/logger';
import type { OutboxRelay } from '../pubsub/outbox-relay';
import type { OutboxRecord, OutboxRepository } from '../pubsub/outbox-repository';
import type { BookingPaymentFieldsRepository } from './booking-payment-fields';
import { canMovePayment, refundIdempotencyKey, type Payment, type PaymentStatus } from './payment';
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
}

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
      const followUp = await this.apply(tx, paymentId, target);
      this.deps.events.record(tx, event.id, event.type, this.deps.clock.now());
      return followUp;
    });
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

  private async apply(tx: Transaction, paymentId: string, target: PaymentStatus): Promise<FollowUp> {
    const payment = await this.deps.payments.getIn(tx, paymentId);
    if (payment === undefined) return {};
    const [booking, fields] = await Promise.all([
      this.deps.bookings.getIn(tx, payment.bookingId),
      this.deps.bookingPayments.getIn(tx, payment.bookingId),
    ]);
    if (booking === undefined || !canMovePayment(payment.status, target)) return {};
    const now = this.deps.clock.now();
    if (target === 'succeeded') return this.applySuccess(tx, payment, booking, fields.paidByPaymentId, now);
    if (target === 'refunded') this.applyRefund(tx, booking, fields.paidByPaymentId === payment.id, now);
    this.deps.payments.changeStatus(tx, payment.id, target, now);
    return {};
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
    now: Date,
  ): Promise<FollowUp> {
    const reserved =
      booking.status === 'expired'
        ? await this.deps.inventory.prepareReservation(tx, booking.eventId, booking.quantity, undefined)
        : undefined;
    if (booking.status === 'held') {
      this.deps.inventory.markSold(tx, booking.eventId, booking.allocation);
      this.deps.holds.remove(tx, booking.userId, booking.eventId, booking.id);
      return this.confirm(tx, payment, booking, booking.allocation, now);
    }
    if (reserved !== undefined && paidBy === undefined) {
      reserved.apply();
      this.deps.inventory.markSold(tx, booking.eventId, reserved.reservation.takes);
      return this.confirm(tx, payment, booking, reserved.reservation.takes, now);
    }
    this.deps.payments.changeStatus(tx, payment.id, 'refund_pending', now);
    return {};
  }

  private confirm(
    tx: Transaction,
    payment: Payment,
    booking: Booking,
    allocation: Booking['allocation'],
    now: Date,
  ): FollowUp {
    this.deps.payments.changeStatus(tx, payment.id, 'succeeded', now);
    this.deps.bookingPayments.confirm(tx, booking.id, payment.id, allocation, now);
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
    return { publish };
  }

  /** A refund of the payment that paid the booking ends the booking, voids its tickets and returns the seats. */
  private applyRefund(tx: Transaction, booking: Booking, paidTheBooking: boolean, now: Date): void {
    if (!paidTheBooking || (booking.status !== 'confirmed' && booking.status !== 'refund_pending')) return;
    this.deps.inventory.release(tx, booking.eventId, booking.allocation, 'sold');
    this.deps.bookingPayments.markRefunded(tx, booking.id, now);
  }

  /** Completes a refund that a transaction decided on; Stripe's idempotency key makes it happen once. */
  private async refundIfPending(paymentId: string, paymentIntentId: string): Promise<void> {
    const payment = await this.deps.payments.find(paymentId);
    if (payment?.status !== 'refund_pending') return;
    await this.deps.gateway.refundPaymentIntent(paymentIntentId, refundIdempotencyKey(paymentId));
  }
}
