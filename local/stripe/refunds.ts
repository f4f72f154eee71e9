import type Stripe from 'stripe';
import { invalidRequest } from './errors';
import type { OperationContext } from './events';
import { applyMetadata, type MetadataUpdate } from './metadata';
import { newRefund } from './objects';
import type { SandboxState } from './state';

/** What a refund takes money back from: a charge (of the PaymentIntent, if both are given) or a PaymentIntent. */
export type RefundTarget =
  { charge: string; paymentIntent?: string } | { charge?: undefined; paymentIntent: string };

/** Validated parameters of `POST /v1/refunds`. */
export interface CreateRefundInput {
  target: RefundTarget;
  amount?: number;
  reason: Stripe.RefundCreateParams.Reason | null;
  metadata?: MetadataUpdate;
}

/**
 * Refunds all that is left of a succeeded charge, or `amount` of it. The refund succeeds at once (card refunds
 * in test mode do) and the charge's `amount_refunded`/`refunded` follow.
 */
export function createRefund(ctx: OperationContext, input: CreateRefundInput): Stripe.Refund {
  const charge = refundableCharge(ctx.state, input.target);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
    });
  }
  const amount = input.amount ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${amount} ${charge.currency}) is greater than unrefunded amount on charge ` +
        `(${remaining} ${charge.currency})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  const refund = newRefund({
    charge,
    amount,
    reason: input.reason,
    metadata: applyMetadata({}, input.metadata),
  });
  ctx.state.refunds.set(refund.id, refund);
  if (typeof charge.payment_intent === 'string' && ctx.state.failingRefunds.has(charge.payment_intent)) {
    // Stripe accepts the refund, then reports that the bank refused it; the charge keeps its money.
    refund.status = 'failed';
    refund.failure_reason = 'charge_for_pending_refund_disputed';
    const { failure_reason: _failure, ...accepted } = refund;
    ctx.emit('refund.created', { ...accepted, status: 'pending' });
    ctx.emit('refund.failed', refund);
    return refund;
  }
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  ctx.emit('charge.refunded', charge);
  ctx.emit('refund.created', refund);
  return refund;
}

function refundableCharge(state: SandboxState, target: RefundTarget): Stripe.Charge {
  let charge: Stripe.Charge;
  if (target.charge !== undefined) {
    charge = state.charge(target.charge, 'charge');
    if (target.paymentIntent !== undefined && charge.payment_intent !== target.paymentIntent) {
      throw invalidRequest(`Charge ${charge.id} does not belong to PaymentIntent ${target.paymentIntent}.`, {
        param: 'charge',
      });
    }
  } else {
    const paymentIntent = state.paymentIntent(target.paymentIntent, 'payment_intent');
    const latest = typeof paymentIntent.latest_charge === 'string' ? paymentIntent.latest_charge : undefined;
    if (paymentIntent.status !== 'succeeded' || latest === undefined) {
      throw invalidRequest('This PaymentIntent does not have a successful charge to refund.', {
        param: 'payment_intent',
      });
    }
    charge = state.charge(latest);
  }
  if (charge.status !== 'succeeded') {
    throw invalidRequest(`Charge ${charge.id} did not succeed, so there is nothing to refund.`, {
      param: 'charge',
    });
  }
  return charge;
}
