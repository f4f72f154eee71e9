import type Stripe from 'stripe';
import { invalidRequest, paymentIntentUnexpectedState, resourceMissing, StripeApiError } from './errors';
import type { OperationContext } from './events';
import { applyMetadata, type MetadataUpdate } from './metadata';
import { newCharge, newId, newPaymentIntent, type PaymentIntentInit } from './objects';
import type { SandboxState } from './state';
import { TEST_PAYMENT_METHODS } from './test-cards';

/** Validated parameters of `POST /v1/payment_intents`. */
export interface CreatePaymentIntentInput extends PaymentIntentInit {
  paymentMethod?: string;
  confirm: boolean;
}

/** Validated parameters of `POST /v1/payment_intents/:id`. */
export interface UpdatePaymentIntentInput {
  amount?: number;
  currency?: string;
  description?: string | null;
  metadata?: MetadataUpdate;
  paymentMethod?: string;
  receiptEmail?: string | null;
}

/** Validated parameters of `POST /v1/payment_intents/:id/confirm`. */
export interface ConfirmPaymentIntentInput {
  paymentMethod?: string;
  receiptEmail?: string | null;
}

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
/** Statuses in which amount, currency and payment method may still change. */
const MUTABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/** Stripe's minimum charge amounts (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). */
const MINIMUM_AMOUNTS: Readonly<Record<string, number>> = {
  usd: 50,
  aud: 50,
  brl: 50,
  cad: 50,
  chf: 50,
  eur: 50,
  inr: 50,
  nzd: 50,
  sgd: 50,
  gbp: 30,
  dkk: 250,
  nok: 300,
  sek: 300,
  pln: 200,
  czk: 1500,
  hkd: 400,
  mxn: 1000,
  jpy: 50,
};
/** Stripe's eight-digit amount limit. */
const MAXIMUM_AMOUNT = 99_999_999;

/**
 * Creates a PaymentIntent in `requires_payment_method` (or `requires_confirmation` when a payment method is
 * given), and confirms it at once when `confirm` is true, as Stripe does.
 */
export function createPaymentIntent(
  ctx: OperationContext,
  input: CreatePaymentIntentInput,
): Stripe.PaymentIntent {
  checkAmount(input.amount, input.currency);
  // Checked before anything is created, so that a failed request leaves no PaymentIntent behind.
  const paymentMethod =
    input.paymentMethod === undefined ? undefined : resolvePaymentMethod(ctx.state, input.paymentMethod);
  if (input.confirm && paymentMethod === undefined) throw missingPaymentMethod();
  const paymentIntent = newPaymentIntent(input);
  ctx.state.paymentIntents.set(paymentIntent.id, paymentIntent);
  if (paymentMethod !== undefined) {
    paymentIntent.payment_method = paymentMethod;
    paymentIntent.status = 'requires_confirmation';
  }
  ctx.emit('payment_intent.created', paymentIntent);
  return input.confirm ? attemptPayment(ctx, paymentIntent) : paymentIntent;
}

/**
 * Updates a PaymentIntent. Metadata, description and receipt email can change in any status; amount,
 * currency and payment method only before the payment went through.
 */
export function updatePaymentIntent(
  ctx: OperationContext,
  id: string,
  input: UpdatePaymentIntentInput,
): Stripe.PaymentIntent {
  const paymentIntent = ctx.state.paymentIntent(id);
  const guarded = { amount: input.amount, currency: input.currency, payment_method: input.paymentMethod };
  for (const [field, value] of Object.entries(guarded)) {
    if (value !== undefined && !MUTABLE.includes(paymentIntent.status)) {
      throw paymentIntentUnexpectedState(
        `This PaymentIntent's ${field} could not be updated because it has a status of ${paymentIntent.status}. ` +
          `You may only update the ${field} of a PaymentIntent with one of the following statuses: ${MUTABLE.join(', ')}.`,
      );
    }
  }
  if (input.amount !== undefined || input.currency !== undefined) {
    checkAmount(input.amount ?? paymentIntent.amount, input.currency ?? paymentIntent.currency);
  }
  const metadata = applyMetadata(paymentIntent.metadata, input.metadata);
  if (input.paymentMethod !== undefined) {
    paymentIntent.payment_method = resolvePaymentMethod(ctx.state, input.paymentMethod);
    paymentIntent.status = 'requires_confirmation';
  }
  paymentIntent.metadata = metadata;
  if (input.amount !== undefined) paymentIntent.amount = input.amount;
  if (input.currency !== undefined) paymentIntent.currency = input.currency;
  if (input.description !== undefined) paymentIntent.description = input.description;
  if (input.receiptEmail !== undefined) paymentIntent.receipt_email = input.receiptEmail;
  return paymentIntent;
}

/**
 * Confirms a PaymentIntent with its (or the given) payment method: `succeeded` when the card pays, back to
 * `requires_payment_method` with `last_payment_error` and a 402 card error when it declines.
 */
export function confirmPaymentIntent(
  ctx: OperationContext,
  id: string,
  input: ConfirmPaymentIntentInput,
): Stripe.PaymentIntent {
  const paymentIntent = ctx.state.paymentIntent(id);
  if (paymentIntent.status === 'succeeded') {
    throw paymentIntentUnexpectedState(
      'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
    );
  }
  if (!CONFIRMABLE.includes(paymentIntent.status)) {
    throw paymentIntentUnexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${paymentIntent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
    );
  }
  if (input.paymentMethod !== undefined) {
    paymentIntent.payment_method = resolvePaymentMethod(ctx.state, input.paymentMethod);
  }
  if (input.receiptEmail !== undefined) paymentIntent.receipt_email = input.receiptEmail;
  return attemptPayment(ctx, paymentIntent);
}

/** Cancels a PaymentIntent that has not been paid; a succeeded or canceled one answers 400 as Stripe does. */
export function cancelPaymentIntent(
  ctx: OperationContext,
  id: string,
  reason: Stripe.PaymentIntentCancelParams.CancellationReason | undefined,
): Stripe.PaymentIntent {
  const paymentIntent = ctx.state.paymentIntent(id);
  if (!CANCELABLE.includes(paymentIntent.status)) {
    throw paymentIntentUnexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${paymentIntent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
    );
  }
  paymentIntent.status = 'canceled';
  paymentIntent.canceled_at = Math.floor(Date.now() / 1000);
  paymentIntent.cancellation_reason = reason ?? null;
  ctx.emit('payment_intent.canceled', paymentIntent);
  return paymentIntent;
}

/** Charges the PaymentIntent's payment method once, recording the charge and its events. */
function attemptPayment(ctx: OperationContext, paymentIntent: Stripe.PaymentIntent): Stripe.PaymentIntent {
  const paymentMethod = paymentIntent.payment_method;
  if (typeof paymentMethod !== 'string') throw missingPaymentMethod();
  const card = ctx.state.paymentMethods.get(paymentMethod);
  if (!card) throw resourceMissing('PaymentMethod', paymentMethod, 'payment_method');
  const charge = newCharge(paymentIntent, paymentMethod, card);
  ctx.state.charges.set(charge.id, charge);
  paymentIntent.latest_charge = charge.id;

  if (card.decline) {
    paymentIntent.status = 'requires_payment_method';
    // Stripe detaches a declined payment method so that the customer supplies another one.
    paymentIntent.payment_method = null;
    paymentIntent.last_payment_error = {
      charge: charge.id,
      code: card.decline.code,
      decline_code: card.decline.declineCode,
      doc_url: `https://stripe.com/docs/error-codes/${card.decline.code.replace(/_/g, '-')}`,
      message: card.decline.message,
      payment_method_type: 'card',
      type: 'card_error',
    };
    ctx.emit('charge.failed', charge);
    ctx.emit('payment_intent.payment_failed', paymentIntent);
    throw new StripeApiError(402, {
      type: 'card_error',
      code: card.decline.code,
      decline_code: card.decline.declineCode,
      message: card.decline.message,
      charge: charge.id,
      payment_intent: structuredClone(paymentIntent),
    });
  }

  paymentIntent.status = 'succeeded';
  paymentIntent.amount_received = paymentIntent.amount;
  paymentIntent.last_payment_error = null;
  ctx.emit('charge.succeeded', charge);
  ctx.emit('payment_intent.succeeded', paymentIntent);
  return paymentIntent;
}

function missingPaymentMethod(): StripeApiError {
  return invalidRequest(
    "You cannot confirm this PaymentIntent because it's missing a payment method. " +
      'Update the PaymentIntent with a payment method, or pass `payment_method` when confirming.',
    { code: 'payment_intent_unexpected_state', param: 'payment_method' },
  );
}

/** Rejects amounts Stripe cannot charge in the currency. */
function checkAmount(amount: number, currency: string): void {
  const minimum = MINIMUM_AMOUNTS[currency] ?? 1;
  if (amount < minimum) {
    throw invalidRequest(`Amount must be at least ${minimum} (in the smallest unit of ${currency})`, {
      code: 'amount_too_small',
      param: 'amount',
    });
  }
  if (amount > MAXIMUM_AMOUNT) {
    throw invalidRequest(
      `Amount must be no more than ${MAXIMUM_AMOUNT} (in the smallest unit of ${currency})`,
      {
        code: 'amount_too_large',
        param: 'amount',
      },
    );
  }
}

/**
 * The id of a usable PaymentMethod: a test token (`pm_card_visa`) becomes a new `pm_...` PaymentMethod, as in
 * Stripe's test mode; an id the sandbox created before is reused.
 */
function resolvePaymentMethod(state: SandboxState, id: string): string {
  if (state.paymentMethods.has(id)) return id;
  const card = TEST_PAYMENT_METHODS[id];
  if (!card) throw resourceMissing('PaymentMethod', id, 'payment_method');
  const created = newId('pm');
  state.paymentMethods.set(created, card);
  return created;
}

/** Statuses the control API may put a PaymentIntent in, which the sandbox's cards never reach. */
export const ALTERABLE_STATUSES = ['requires_action', 'processing'] as const;

/** What the control API may change on a PaymentIntent (`POST /_sandbox/payment_intents/:id`). */
export interface PaymentIntentAlteration {
  amount?: number;
  amount_received?: number;
  currency?: string;
  status?: (typeof ALTERABLE_STATUSES)[number];
  /** When true, later refunds of the PaymentIntent fail after creation (`refund.failed`). */
  refunds_fail?: boolean;
}

/**
 * Changes a PaymentIntent behind the API's back, in any status and without an event: what a 3-D Secure
 * challenge (`requires_action`), a slow payment method (`processing`) or an integration that charged
 * another amount or currency leaves, for tests of the code that must cope with it.
 */
export function alterPaymentIntent(
  state: SandboxState,
  id: string,
  alteration: PaymentIntentAlteration,
): Stripe.PaymentIntent {
  const paymentIntent = state.paymentIntent(id);
  // The charge follows, so that refunds work on what was received, in its currency.
  const charge =
    typeof paymentIntent.latest_charge === 'string'
      ? state.charges.get(paymentIntent.latest_charge)
      : undefined;
  if (alteration.amount !== undefined) paymentIntent.amount = alteration.amount;
  if (alteration.amount_received !== undefined) {
    paymentIntent.amount_received = alteration.amount_received;
    if (charge?.status === 'succeeded') {
      charge.amount = alteration.amount_received;
      charge.amount_captured = alteration.amount_received;
    }
  }
  if (alteration.currency !== undefined) {
    paymentIntent.currency = alteration.currency;
    if (charge !== undefined) charge.currency = alteration.currency;
  }
  if (alteration.status !== undefined) paymentIntent.status = alteration.status;
  if (alteration.refunds_fail === true) state.failingRefunds.add(id);
  if (alteration.refunds_fail === false) state.failingRefunds.delete(id);
  return paymentIntent;
}
