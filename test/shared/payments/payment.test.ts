import {
  canMovePayment,
  paymentIntentIdempotencyKey,
  refundIdempotencyKey,
} from '../../../shared/payments/payment';

describe('canMovePayment', () => {
  it('lets a payment move only forward', () => {
    expect(canMovePayment('requires_payment_method', 'succeeded')).toBe(true);
    expect(canMovePayment('failed', 'succeeded')).toBe(true);
    expect(canMovePayment('succeeded', 'failed')).toBe(false);
    expect(canMovePayment('succeeded', 'canceled')).toBe(false);
    expect(canMovePayment('succeeded', 'refunded')).toBe(true);
    expect(canMovePayment('refund_pending', 'refunded')).toBe(true);
    expect(canMovePayment('refunded', 'succeeded')).toBe(false);
    expect(canMovePayment('canceled', 'succeeded')).toBe(false);
    expect(canMovePayment('succeeded', 'succeeded')).toBe(false);
  });
});

describe('idempotency keys', () => {
  it('give each attempt and each refund a key of its own', () => {
    expect(paymentIntentIdempotencyKey('b1', 2)).toBe('booking:b1:attempt:2');
    expect(refundIdempotencyKey('p1')).toBe('refund:p1');
  });
});
