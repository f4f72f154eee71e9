import { isLapsedHold, visibleStatus } from '../bookings/booking';
import { runTransactionWithRetry } from '../bookings/contention-retry';
import { ConflictError, NotFoundError } from '../errors/domain-errors';
import { logDomainEvents, type DomainEvent } from '../logging/domain-events';
import { createPayment, movePayment } from './payment-audit';
import type { PaymentDependencies } from './payment-dependencies';
import { canMovePayment, paymentIntentIdempotencyKey, type Payment, type PaymentResponse } from './payment';
import type { GatewayPaymentIntent } from './payment-gateway';

/** PaymentIntent states in which the customer can still pay the attempt. */
const USABLE_INTENT_STATUSES = new Set([
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
]);

/** One declined attempt is replaced per call; a second decline in between is the next call's business. */
const MAX_ATTEMPTS_PER_CALL = 2;

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
 * Opens payment attempts for held bookings. An attempt is allocated in a transaction on the booking before
 * Stripe is called (Stripe is never called inside a transaction, which may run several times), and its
 * PaymentIntent is created under the attempt's idempotency key: concurrent calls that see the same attempt
 * get the same PaymentIntent, so a booking never has two payable intents at once.
 */
export class PaymentService {
  constructor(private readonly deps: PaymentDependencies) {}

  /** The usable payment attempt of the user's held booking, opening a new one after a decline. */
  async pay(userId: string, bookingId: string): Promise<{ payment: PaymentResponse }> {
    let superseded: string | undefined;
    for (let call = 1; ; call += 1) {
      const payment = await this.currentAttempt(userId, bookingId, superseded);
      const intent = await this.intentOf(payment);
      if (!intent.declined && USABLE_INTENT_STATUSES.has(intent.status)) {
        return { payment: toResponse(payment, intent) };
      }
      if (call >= MAX_ATTEMPTS_PER_CALL) {
        throw new ConflictError('invalid-state', 'This booking cannot be paid right now; retry in a moment.');
      }
      superseded = payment.id;
    }
  }

  /**
   * The booking's current attempt, or a new one when there is none or `superseded` (declined) is current.
   * A superseded attempt is marked failed in the same transaction, so that its late webhook cannot revive it.
   */
  private async currentAttempt(
    userId: string,
    bookingId: string,
    superseded: string | undefined,
  ): Promise<Payment> {
    const { payment, events } = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const [booking, fields] = await Promise.all([
        this.deps.bookings.getIn(tx, bookingId),
        this.deps.bookingPayments.getIn(tx, bookingId),
      ]);
      const now = this.deps.clock.now();
      if (booking === undefined || booking.userId !== userId)
        throw new NotFoundError('No booking with this id.');
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
      const replaceable =
        current === undefined || current.id === superseded || current.status !== 'requires_payment_method';
      if (!replaceable) return { payment: current, events: [] };
      const actor = { kind: 'user', uid: userId } as const;
      const events: DomainEvent[] = [];
      if (current !== undefined && canMovePayment(current.status, 'failed')) {
        events.push(movePayment(this.deps, tx, { payment: current, booking, to: 'failed' }, actor, now));
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
