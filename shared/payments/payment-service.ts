import { isLapsedHold, visibleStatus } from '../bookings/booking';
import { eventCancelled } from '../bookings/booking-rules';
import { isCancelled } from '../events/event';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { ConflictError, NotFoundError } from '../errors/domain-errors';
import { logDomainEvents, type DomainEvent } from '../logging/domain-events';
import { createPayment, movePayment } from './payment-audit';
import type { PaymentDependencies } from './payment-dependencies';
import { canMovePayment, paymentIntentIdempotencyKey, type Payment, type PaymentStatus } from './payment';
import type { GatewayPaymentIntent } from './payment-gateway';
import type { PaymentResponse } from './payment-response-schemas';

/** Attempts whose PaymentIntent can no longer take money: a new attempt may replace them without asking Stripe. */
const ENDED_PAYMENTS: ReadonlySet<PaymentStatus> = new Set(['canceled', 'refund_pending', 'refunded']);

/** A round replaces at most one attempt; the rounds after it return the new one (or one that went through). */
const MAX_ROUNDS_PER_CALL = 3;

/**
 * Whether the PaymentIntent may still take the customer's money: payable (not declined), waiting for the
 * customer's bank (`requires_action`), `processing`, or `succeeded` with its webhook still to come.
 */
function canStillSucceed(intent: GatewayPaymentIntent): boolean {
  if (intent.status === 'requires_payment_method') return !intent.declined;
  return intent.status !== 'canceled';
}

function toResponse(payment: Payment, intent: GatewayPaymentIntent): PaymentResponse {
  return {
    id: payment.id,
    bookingId: payment.bookingId,
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    stripePaymentIntentId: intent.id,
    clientSecret: intent.clientSecret,
  };
}

/**
 * Opens payment attempts for held bookings, one live PaymentIntent per booking at any time. The booking's
 * current attempt is claimed in a transaction on the booking before Stripe is called (Stripe is never called
 * inside a transaction, which may run several times), and its PaymentIntent is created under the attempt's
 * idempotency key, so concurrent calls that see the same attempt get the same PaymentIntent. An attempt is
 * replaced only once Stripe has confirmed that its PaymentIntent is cancelled: while it can still succeed
 * (payable, `requires_action`, `processing`, or `succeeded` before its webhook), `pay` returns it.
 */
export class PaymentService {
  constructor(private readonly deps: PaymentDependencies) {}

  /** The live payment attempt of the user's held booking, replacing a declined or cancelled one. */
  async pay(userId: string, bookingId: string): Promise<{ payment: PaymentResponse }> {
    let replacing: string | undefined;
    for (let round = 1; round <= MAX_ROUNDS_PER_CALL; round += 1) {
      const payment = await this.claimAttempt(userId, bookingId, replacing);
      const intent = await this.intentOf(payment);
      if (canStillSucceed(intent)) return { payment: toResponse(payment, intent) };
      // Cancelled at Stripe first: a declined PaymentIntent can still be confirmed with another card.
      const ended =
        intent.status === 'canceled' ? intent : await this.deps.gateway.cancelPaymentIntent(intent.id);
      // Stripe refused to cancel because it went through meanwhile: the next round returns it.
      replacing = ended.status === 'canceled' ? payment.id : undefined;
    }
    throw new ConflictError('invalid-state', 'This booking cannot be paid right now; retry in a moment.');
  }

  /**
   * The booking's current attempt, or a new one when there is none, when the current one has ended, or
   * when it is `replacing` (its PaymentIntent is cancelled at Stripe), which is then marked cancelled in the
   * same transaction. Concurrent calls replacing the same attempt open one new attempt between them.
   */
  private async claimAttempt(
    userId: string,
    bookingId: string,
    replacing: string | undefined,
  ): Promise<Payment> {
    const { payment, events } = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const [booking, fields] = await Promise.all([
        this.deps.bookings.getIn(tx, bookingId),
        this.deps.bookingPayments.getIn(tx, bookingId),
      ]);
      const now = this.deps.clock.now();
      if (booking === undefined || booking.userId !== userId)
        throw new NotFoundError('No booking with this id.');
      // Read in the transaction: a cancellation committing meanwhile makes this attempt run again and refuse.
      const event = await this.deps.eventRepository.getIn(tx, booking.eventId);
      if (event !== undefined && isCancelled(event)) throw eventCancelled();
      if (booking.status !== 'held' || isLapsedHold(booking, now)) {
        throw new ConflictError(
          'invalid-state',
          `Only a held booking can be paid; this one is ${visibleStatus(booking, now)}.`,
        );
      }
      const current =
        fields.currentPaymentId === undefined
          ? undefined
          : await this.deps.payments.getIn(tx, fields.currentPaymentId);
      if (current !== undefined && current.id !== replacing && !ENDED_PAYMENTS.has(current.status)) {
        return { payment: current, events: [] };
      }
      const actor = { kind: 'user', uid: userId } as const;
      const events: DomainEvent[] = [];
      if (current !== undefined && current.id === replacing && canMovePayment(current.status, 'canceled')) {
        events.push(movePayment(this.deps, tx, { payment: current, booking, to: 'canceled' }, actor, now));
      }
      const payment: Payment = {
        id: this.deps.payments.newPaymentId(),
        bookingId,
        userId,
        attempt: fields.paymentAttempts + 1,
        amount: booking.total,
        currency: booking.currency,
        status: 'requires_payment_method',
        stripePaymentIntentId: undefined,
        createdAt: now,
        updatedAt: now,
      };
      events.push(createPayment(this.deps, tx, payment, booking, actor));
      this.deps.bookingPayments.startAttempt(tx, bookingId, payment.attempt, payment.id, now);
      return { payment, events };
    });
    logDomainEvents(events);
    return payment;
  }

  /** The attempt's PaymentIntent, created (idempotently) if the attempt has none recorded yet. */
  private async intentOf(payment: Payment): Promise<GatewayPaymentIntent> {
    if (payment.stripePaymentIntentId !== undefined) {
      return this.deps.gateway.retrievePaymentIntent(payment.stripePaymentIntentId);
    }
    const intent = await this.deps.gateway.createPaymentIntent({
      amount: payment.amount,
      currency: payment.currency,
      bookingId: payment.bookingId,
      paymentId: payment.id,
      idempotencyKey: paymentIntentIdempotencyKey(payment.bookingId, payment.attempt),
    });
    await runTransactionWithRetry(this.deps.db, async (tx) => {
      const stored = await this.deps.payments.getIn(tx, payment.id);
      if (stored?.stripePaymentIntentId === undefined) {
        this.deps.payments.linkPaymentIntent(tx, payment.id, intent.id, this.deps.clock.now());
      }
    });
    return intent;
  }
}
