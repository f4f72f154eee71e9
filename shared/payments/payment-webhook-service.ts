import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { Booking } from '../bookings/booking';
import { bookingEvent } from '../bookings/booking-events';
import type { BookingRepository } from '../bookings/booking-repository';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { costsExactly, priceReservation } from '../bookings/ticket-pricing';
import type { UserHoldRepository } from '../bookings/user-hold-repository';
import { ConflictError, ValidationError } from '../errors/domain-errors';
import { isCancelled } from '../events/event';
import type { EventRepository } from '../events/event-repository';
import type { TicketInventory } from '../inventory/inventory-store';
import { logDomainEvents, type DomainEvent } from '../logging/domain-events';
import { logger } from '../logging/logger';
import type { UserNotificationOutbox } from '../notifications/user-notification';
import type { OutboxRelay } from '../pubsub/outbox-relay';
import type { OutboxRecord, OutboxRepository } from '../pubsub/outbox-repository';
import type { TicketRepository } from '../tickets/ticket-repository';
import type { SalesLedger } from '../sales/sales-ledger';
import type { BookingPaymentFields, BookingPaymentFieldsRepository } from './booking-payment-fields';
import { canMovePayment, refundIdempotencyKey, type Payment, type PaymentStatus } from './payment';
import { movePayment, recordPartialRefund } from './payment-audit';
import { PAYMENT_CONFIRMED_TOPIC, type PaymentConfirmed } from './payment-confirmed';
import {
  MalformedWebhookEventError,
  UnknownPaymentIntentError,
  WebhookSignatureError,
  type GatewayPaymentIntent,
  type PaymentGateway,
} from './payment-gateway';
import type { PaymentRepository } from './payment-repository';
import type { WebhookOutcome } from './payment-response-schemas';
import type { WaitlistHooks } from '../waitlist/waitlist-hooks';
import type { StripeEventLog } from './stripe-event-log';

/** The collaborators of {@link PaymentWebhookService}. */
export interface PaymentWebhookDependencies {
  readonly db: Firestore;
  readonly bookings: BookingRepository;
  readonly eventRepository: EventRepository;
  readonly bookingPayments: BookingPaymentFieldsRepository;
  readonly holds: UserHoldRepository;
  readonly inventory: TicketInventory;
  readonly payments: PaymentRepository;
  readonly events: StripeEventLog;
  readonly outbox: OutboxRepository;
  readonly relay: OutboxRelay;
  /** Tells the booking's owner that it was confirmed or refunded, in the transaction that does it. */
  readonly notifications: UserNotificationOutbox;
  readonly audit: AuditLog;
  readonly sales: SalesLedger;
  readonly tickets: TicketRepository;
  readonly gateway: PaymentGateway;
  readonly clock: Clock;
  /** Settles the waitlist entry of a paid offer; absent where no booking can be an offer. */
  readonly waitlist?: Pick<WaitlistHooks, 'settleOffer'>;
}

/** The payment status each handled event type asks for. */
const TARGET_STATUS: Readonly<Record<string, PaymentStatus>> = {
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'canceled',
  'charge.refunded': 'refunded',
};

/** A refund Stripe accepted and then failed (a disputed charge, a closed card account). */
const REFUND_FAILED = 'refund.failed';

/** What a committed transaction leaves to do outside it. */
interface FollowUp {
  /** Whether the event changed anything; only then is it recorded as applied. */
  readonly applied: boolean;
  /** Outbox records to relay once the transaction has committed. */
  readonly publish: readonly OutboxRecord[];
  /** Logged once the transaction has committed. */
  readonly events: readonly DomainEvent[];
}

/**
 * Whether the PaymentIntent received exactly what the booking costs: anything else (a PaymentIntent changed
 * after it was created, in amount or currency) must not buy the booking.
 */
function paysExactly(intent: GatewayPaymentIntent, booking: Pick<Booking, 'total' | 'currency'>): boolean {
  return (
    intent.amountReceived === booking.total &&
    intent.currency.toLowerCase() === booking.currency.toLowerCase()
  );
}

/** An event about something that is not ours, or that states made obsolete (a late `payment_failed`). */
const NOT_APPLIED: FollowUp = { applied: false, events: [], publish: [] };

function applied(events: readonly DomainEvent[], publish: readonly OutboxRecord[] = []): FollowUp {
  return { applied: true, events, publish };
}

/**
 * Applies Stripe webhooks to payments and bookings. Each event is applied in one transaction that also
 * records its id, so redeliveries change nothing; an event that changed nothing is not recorded. States
 * only move forward, so late or reordered events cannot undo newer ones, and an event that comes before the
 * state it acts on (a refund before its payment's success) is refused with a 409, so that Stripe delivers
 * it again. Side effects on other systems (Pub/Sub, refunds) run after the commit and are idempotent, and
 * they are derived from the stored state, so a redelivery after a crash completes them.
 */
export class PaymentWebhookService {
  constructor(private readonly deps: PaymentWebhookDependencies) {}

  /**
   * Verifies and applies one delivery.
   *
   * @throws ValidationError (400) when the signature does not verify; ConflictError `event-out-of-order`
   * (409) for a refund whose payment's success has not been applied yet. Nothing changes then.
   */
  async handle(rawBody: Buffer, signature: string | undefined): Promise<{ outcome: WebhookOutcome }> {
    const event = this.verified(rawBody, signature);
    if (event.type === REFUND_FAILED && event.paymentIntentId !== undefined)
      return this.handleRefundFailure(event.id, event.paymentIntentId);
    const target = TARGET_STATUS[event.type];
    if (target === undefined || event.paymentIntentId === undefined) return { outcome: 'ignored' };
    const intent = await this.knownIntent(event.paymentIntentId, event.id);
    const paymentId = intent?.paymentId;
    if (intent === undefined || paymentId === undefined) return { outcome: 'ignored' };
    if (target === 'succeeded' && intent.status !== 'succeeded') {
      throw new Error(`PaymentIntent ${intent.id} is ${intent.status} although Stripe reported it succeeded`);
    }

    const result = await runTransactionWithRetry(this.deps.db, async (tx) => {
      if (await this.deps.events.seenIn(tx, event.id)) return undefined;
      const followUp = await this.apply(tx, paymentId, target, event.id, intent);
      if (followUp.applied) this.deps.events.record(tx, event.id, event.type, this.deps.clock.now());
      return followUp;
    });
    if (result !== undefined) logDomainEvents(result.events);
    await Promise.all((result?.publish ?? []).map((record) => this.deps.relay.relay(record)));
    await this.refundIfPending(paymentId, intent.id);
    logger.info('stripe event handled', { eventId: event.id, type: event.type, paymentId });
    return { outcome: result === undefined ? 'duplicate' : result.applied ? 'applied' : 'ignored' };
  }

  /**
   * A failed refund of the payment that paid the booking ends a `refund_pending` booking as
   * `refund_failed`: its seats leave `sold`, its revenue stays counted, and `eventSales` shows it to the
   * company's admins, who settle it in Stripe's dashboard. The payment stays `refund_pending` (its money is
   * still owed); a later `charge.refunded` completes both.
   */
  private async handleRefundFailure(
    stripeEventId: string,
    paymentIntentId: string,
  ): Promise<{ outcome: WebhookOutcome }> {
    const intent = await this.knownIntent(paymentIntentId, stripeEventId);
    const paymentId = intent?.paymentId;
    if (paymentId === undefined) return { outcome: 'ignored' };
    const result = await runTransactionWithRetry(this.deps.db, async (tx) => {
      if (await this.deps.events.seenIn(tx, stripeEventId)) return undefined;
      const payment = await this.deps.payments.getIn(tx, paymentId);
      const [booking, fields] =
        payment === undefined
          ? [undefined, undefined]
          : await Promise.all([
              this.deps.bookings.getIn(tx, payment.bookingId),
              this.deps.bookingPayments.getIn(tx, payment.bookingId),
            ]);
      if (booking?.status !== 'refund_pending' || fields?.paidByPaymentId !== paymentId) return NOT_APPLIED;
      const now = this.deps.clock.now();
      this.deps.inventory.release(tx, booking.eventId, booking.allocation, 'sold');
      this.deps.bookings.changeStatus(tx, booking.id, 'refund_failed', now);
      this.deps.events.record(tx, stripeEventId, REFUND_FAILED, now);
      return applied([bookingEvent('booking.refund_failed', booking, paymentId)]);
    });
    if (result !== undefined) logDomainEvents(result.events);
    logger.info('stripe event handled', { eventId: stripeEventId, type: REFUND_FAILED, paymentId });
    return { outcome: result === undefined ? 'duplicate' : result.applied ? 'applied' : 'ignored' };
  }

  private verified(rawBody: Buffer, signature: string | undefined) {
    try {
      return this.deps.gateway.verifyWebhook(rawBody, signature);
    } catch (error) {
      if (error instanceof MalformedWebhookEventError) {
        logger.warn('stripe webhook refused: the signed body is not a Stripe event', {
          reason: error.message,
        });
        throw new ValidationError('The body is not a Stripe event.', [
          { path: 'body', message: error.message },
        ]);
      }
      if (!(error instanceof WebhookSignatureError)) throw error;
      throw new ValidationError('The Stripe signature is invalid.', [
        { path: 'Stripe-Signature', message: error.message },
      ]);
    }
  }

  /**
   * The PaymentIntent as Stripe has it now: the payload's snapshot may be older than other events, and its
   * metadata is only as trustworthy as the intent Stripe actually holds. An intent Stripe does not know
   * (an event from another account or a test mode signed with our secret) is ignored with a warning rather
   * than failed: a 5xx would make Stripe redeliver it for days, and no retry can make the intent exist.
   */
  private async knownIntent(
    paymentIntentId: string,
    eventId: string,
  ): Promise<GatewayPaymentIntent | undefined> {
    try {
      return await this.deps.gateway.retrievePaymentIntent(paymentIntentId);
    } catch (error) {
      if (!(error instanceof UnknownPaymentIntentError)) throw error;
      logger.warn('stripe event ignored: Stripe does not know its PaymentIntent', {
        eventId,
        paymentIntentId,
      });
      return undefined;
    }
  }

  private async apply(
    tx: Transaction,
    paymentId: string,
    target: PaymentStatus,
    stripeEventId: string,
    intent: GatewayPaymentIntent,
  ): Promise<FollowUp> {
    const payment = await this.deps.payments.getIn(tx, paymentId);
    if (payment === undefined) return NOT_APPLIED;
    const [booking, fields] = await Promise.all([
      this.deps.bookings.getIn(tx, payment.bookingId),
      this.deps.bookingPayments.getIn(tx, payment.bookingId),
    ]);
    if (booking === undefined) return NOT_APPLIED;
    if (
      target === 'refunded' &&
      (payment.status === 'requires_payment_method' || payment.status === 'failed')
    ) {
      // Applying it now would be lost: the success, applied later, would confirm a refunded booking.
      throw new ConflictError(
        'event-out-of-order',
        `Payment ${payment.id} was refunded before its success was applied; deliver the refund again later.`,
      );
    }
    if (!canMovePayment(payment.status, target)) return NOT_APPLIED;
    const now = this.deps.clock.now();
    const actor: AuditActor = { kind: 'stripe', stripeEventId };
    if (target === 'succeeded')
      return this.applySuccess(tx, payment, booking, fields.paidByPaymentId, actor, now, intent);
    if (target === 'refunded') return this.applyRefunds(tx, payment, booking, fields, intent, actor, now);
    return applied([movePayment(this.deps, tx, { payment, booking, to: target }, actor, now)]);
  }

  /**
   * Brings the payment and its booking up to what Stripe has refunded in total (re-read, so refund events
   * arriving in any order, or several at once, add up exactly). A refund of the whole amount received
   * ends the payment, and the booking it paid; a partial one leaves both as they are, records
   * `refundedAmount` on the booking and takes the money off the sales report. An event older than what
   * was already applied changes nothing.
   */
  private applyRefunds(
    tx: Transaction,
    payment: Payment,
    booking: Booking,
    fields: BookingPaymentFields,
    intent: GatewayPaymentIntent,
    actor: AuditActor,
    now: Date,
  ): FollowUp {
    const whole = intent.amountRefunded >= intent.amountReceived;
    const paidTheBooking = fields.paidByPaymentId === payment.id;
    if (whole) {
      const moved = movePayment(this.deps, tx, { payment, booking, to: 'refunded' }, actor, now);
      if (!paidTheBooking) return applied([moved]);
      const refund = this.applyRefund(tx, payment, booking, fields, intent.amountRefunded, now);
      return applied([moved, ...refund.events], refund.publish);
    }
    // A payment that did not pay the booking is refunded in full by us; a part of it changes nothing here.
    if (!paidTheBooking || intent.amountRefunded <= fields.refundedAmount) return NOT_APPLIED;
    const before = fields.refundedAmount;
    this.deps.bookingPayments.markPartlyRefunded(tx, booking.id, intent.amountRefunded, now);
    if (fields.confirmedAt !== undefined) {
      this.deps.sales.recordPartialRefund(tx, booking, fields.confirmedAt, before, intent.amountRefunded);
    }
    return applied([
      recordPartialRefund(
        this.deps,
        tx,
        { payment, booking, before, after: intent.amountRefunded },
        actor,
        now,
      ),
    ]);
  }

  /**
   * A held booking is confirmed with its tickets sold. A booking whose hold already ended is confirmed only
   * if seats can be reserved again whose prices today are exactly the unit prices it paid (a base seat for
   * each base price, a surge seat for each surge price); otherwise, or when another payment already
   * confirmed it, this payment is refunded in full. A payment refunded in full before its success was
   * applied (its refund event was answered 409) confirms nothing: it is recorded as refunded. A payment
   * that did not receive exactly the booking's total in its currency confirms nothing either and is
   * refunded.
   */
  private async applySuccess(
    tx: Transaction,
    payment: Payment,
    booking: Booking,
    paidBy: string | undefined,
    actor: AuditActor,
    now: Date,
    intent: GatewayPaymentIntent,
  ): Promise<FollowUp> {
    if (intent.amountReceived > 0 && intent.amountRefunded >= intent.amountReceived) {
      const details = { reason: 'refunded-before-success', amountRefunded: intent.amountRefunded };
      return applied([movePayment(this.deps, tx, { payment, booking, to: 'refunded', details }, actor, now)]);
    }
    if (!paysExactly(intent, booking)) {
      logger.warn('payment received does not match the booking; refunding it', {
        paymentId: payment.id,
        bookingId: booking.id,
        total: booking.total,
        currency: booking.currency,
        amountReceived: intent.amountReceived,
        currencyReceived: intent.currency,
      });
      const details = {
        reason: 'amount-mismatch',
        amountReceived: intent.amountReceived,
        currencyReceived: intent.currency,
      };
      return applied([
        movePayment(this.deps, tx, { payment, booking, to: 'refund_pending', details }, actor, now),
      ]);
    }
    const event = await this.deps.eventRepository.getIn(tx, booking.eventId);
    // The cancellation and this transaction both touch the event's document or this booking, so one of
    // them runs after the other: a payment landing on a cancelled event confirms nothing and is refunded,
    // and the cancellation's worker ends the hold (docs/cancellation.md, Races).
    if (event !== undefined && isCancelled(event)) {
      const details = { reason: 'event-cancelled' };
      return applied([
        movePayment(this.deps, tx, { payment, booking, to: 'refund_pending', details }, actor, now),
      ]);
    }
    const reserved =
      booking.status === 'expired'
        ? await this.deps.inventory.prepareReservation(tx, booking.eventId, booking.quantity)
        : undefined;
    if (booking.status === 'held') {
      this.deps.inventory.markSold(tx, booking.eventId, booking.allocation);
      this.deps.holds.remove(tx, booking.userId, booking.eventId, booking.id);
      return this.confirm(tx, payment, booking, booking.allocation, actor, now);
    }
    if (reserved !== undefined && paidBy === undefined && event !== undefined) {
      if (costsExactly(reserved.reservation, event, booking)) {
        reserved.apply();
        this.deps.inventory.markSold(tx, booking.eventId, reserved.reservation.takes);
        return this.confirm(tx, payment, booking, reserved.reservation.takes, actor, now);
      }
      const details = {
        reason: 'price-changed',
        reservedPrices: [...priceReservation(reserved.reservation, event).unitPrices],
      };
      return applied([
        movePayment(this.deps, tx, { payment, booking, to: 'refund_pending', details }, actor, now),
      ]);
    }
    return applied([movePayment(this.deps, tx, { payment, booking, to: 'refund_pending' }, actor, now)]);
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
    this.deps.waitlist?.settleOffer(tx, booking, 'converted', now);
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
    const notify = this.deps.notifications.add(
      tx,
      {
        userId: booking.userId,
        type: 'booking.confirmed',
        eventId: booking.eventId,
        bookingId: booking.id,
        changeKey: booking.id,
        data: { quantity: booking.quantity, total: booking.total, currency: booking.currency },
      },
      now,
    );
    return applied([succeeded, bookingEvent('booking.confirmed', booking, payment.id)], [publish, notify]);
  }

  /**
   * A refund of the payment that paid the booking ends the booking, voids its tickets, returns the seats,
   * counts the refund against the day of the sale and tells the owner (`booking.refunded`).
   */
  private applyRefund(
    tx: Transaction,
    payment: Payment,
    booking: Booking,
    fields: BookingPaymentFields,
    refundedAmount: number,
    now: Date,
  ): { events: DomainEvent[]; publish: OutboxRecord[] } {
    const ending = ['confirmed', 'refund_pending', 'refund_failed'] as const satisfies Booking['status'][];
    if (!ending.some((status) => status === booking.status)) return { events: [], publish: [] };
    // A failed refund took the seats off `sold` already; the refund that finally went through completes it.
    if (booking.status !== 'refund_failed')
      this.deps.inventory.release(tx, booking.eventId, booking.allocation, 'sold');
    // A booking confirmed before the sales ledger existed was never counted, so neither is its refund.
    if (fields.confirmedAt !== undefined) {
      this.deps.sales.recordRefund(tx, booking, fields.confirmedAt, fields.refundedAmount);
    }
    this.deps.bookingPayments.markRefunded(tx, booking.id, refundedAmount, now);
    this.deps.tickets.voidAll(tx, booking);
    const notify = this.deps.notifications.add(
      tx,
      {
        userId: booking.userId,
        type: 'booking.refunded',
        eventId: booking.eventId,
        bookingId: booking.id,
        changeKey: booking.id,
        data: { refundedAmount, currency: booking.currency },
      },
      now,
    );
    return { events: [bookingEvent('booking.refunded', booking, payment.id)], publish: [notify] };
  }

  /** Completes a refund that a transaction decided on; Stripe's idempotency key makes it happen once. */
  private async refundIfPending(paymentId: string, paymentIntentId: string): Promise<void> {
    const payment = await this.deps.payments.find(paymentId);
    if (payment?.status !== 'refund_pending') return;
    await this.deps.gateway.refundPaymentIntent(paymentIntentId, refundIdempotencyKey(paymentId));
  }
}
