/** Every state of a payment attempt; each attempt has its own Stripe PaymentIntent. */
export const PAYMENT_STATUSES = [
  'requires_payment_method',
  'succeeded',
  'failed',
  'canceled',
  'refund_pending',
  'refunded',
] as const;

/** A state of a payment attempt. */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment state change as the audit trail and the logs name it: a new attempt, or the state it moved to. */
export type PaymentChange =
  | 'payment.created'
  | `payment.${Exclude<PaymentStatus, 'requires_payment_method'>}`
  | 'payment.partially_refunded';

/** A payment attempt as stored in `payments/{id}`. */
export interface Payment {
  readonly id: string;
  readonly bookingId: string;
  readonly userId: string;
  /** 1 for the booking's first attempt; each decline makes the next `pay` open a new one. */
  readonly attempt: number;
  readonly amount: number;
  /** Lower case, as Stripe writes currencies. */
  readonly currency: string;
  readonly status: PaymentStatus;
  /** Undefined until Stripe has answered the creation (the attempt is allocated before Stripe is called). */
  readonly stripePaymentIntentId: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * Where each status may go. Stripe events arrive in any order and more than once, so a state only moves
 * forward: a declined attempt (`failed`) may still succeed, because the customer can confirm the same
 * PaymentIntent with another card, but nothing ever leaves `succeeded` except towards a refund. A payment
 * whose money was refunded before its success was applied goes straight to `refunded`.
 */
const NEXT: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  requires_payment_method: ['succeeded', 'failed', 'canceled', 'refunded'],
  failed: ['succeeded', 'canceled', 'refunded'],
  succeeded: ['refund_pending', 'refunded'],
  canceled: [],
  refund_pending: ['refunded'],
  refunded: [],
};

/** Whether a payment in `from` may move to `to`. */
export function canMovePayment(from: PaymentStatus, to: PaymentStatus): boolean {
  return NEXT[from].includes(to);
}

/** Stripe idempotency key of a booking's attempt: retrying an attempt reuses its PaymentIntent. */
export function paymentIntentIdempotencyKey(bookingId: string, attempt: number): string {
  return `booking:${bookingId}:attempt:${attempt}`;
}

/** Stripe idempotency key of a payment's refund: a payment is refunded at most once. */
export function refundIdempotencyKey(paymentId: string): string {
  return `refund:${paymentId}`;
}
