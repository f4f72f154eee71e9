import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import type { TestCard } from './test-cards';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random alphanumerics, unguessable enough for ids and client secrets. */
export function randomToken(length = 24): string {
  let token = '';
  for (const byte of randomBytes(length)) token += ID_ALPHABET[byte % ID_ALPHABET.length];
  return token;
}

/** A random Stripe-style id: `prefix_` and random alphanumerics, e.g. `pi_3MtwBwLkdIwHu7ix28a3tqPa`. */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomToken(length)}`;
}

/** Stripe's timestamps: whole seconds since the Unix epoch. */
export function unixSeconds(now = Date.now()): number {
  return Math.floor(now / 1000);
}

/** What a new PaymentIntent is made of (already validated). */
export interface PaymentIntentInit {
  amount: number;
  currency: string;
  description: string | null;
  metadata: Stripe.Metadata;
  automaticPaymentMethods: Stripe.PaymentIntent.AutomaticPaymentMethods | null;
  paymentMethodTypes: string[];
  receiptEmail: string | null;
}

/** A PaymentIntent fresh from `POST /v1/payment_intents`, with every field Stripe's object has. */
export function newPaymentIntent(init: PaymentIntentInit): Stripe.PaymentIntent {
  const id = newId('pi');
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: init.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: init.automaticPaymentMethods,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${randomToken()}`,
    confirmation_method: 'automatic',
    created: unixSeconds(),
    currency: init.currency,
    customer: null,
    customer_account: null,
    description: init.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: init.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: init.paymentMethodTypes,
    payment_record: null,
    processing: null,
    receipt_email: init.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
}

const NO_ADDRESS: Stripe.Address = {
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
};

/** The charge a confirmation attempt creates: `succeeded`, or `failed` when the card declines. */
export function newCharge(
  paymentIntent: Stripe.PaymentIntent,
  paymentMethodId: string,
  card: TestCard,
): Stripe.Charge {
  const decline = card.decline;
  const now = new Date();
  return {
    id: newId('ch'),
    object: 'charge',
    amount: paymentIntent.amount,
    amount_captured: decline ? 0 : paymentIntent.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: { address: NO_ADDRESS, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'SANDBOX',
    captured: !decline,
    created: unixSeconds(now.getTime()),
    currency: paymentIntent.currency,
    customer: null,
    description: paymentIntent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...paymentIntent.metadata },
    on_behalf_of: null,
    outcome: decline
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'declined_by_network',
          reason: decline.outcomeReason,
          risk_level: 'normal',
          seller_message: 'The bank did not return any further details with this decline.',
          type: decline.outcomeType,
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
    paid: !decline,
    payment_intent: paymentIntent.id,
    payment_method: paymentMethodId,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: decline ? null : paymentIntent.amount,
        authorization_code: null,
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: card.country,
        electronic_commerce_indicator: null,
        exp_month: 12,
        exp_year: now.getUTCFullYear() + 1,
        fingerprint: card.fingerprint,
        funding: card.funding,
        installments: null,
        last4: card.last4,
        mandate: null,
        network: card.brand,
        network_transaction_id: null,
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
    },
    receipt_email: paymentIntent.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: decline ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

/** What a new refund is made of (already validated against its charge). */
export interface RefundInit {
  charge: Stripe.Charge;
  amount: number;
  reason: Stripe.Refund.Reason | null;
  metadata: Stripe.Metadata;
}

/** A card refund; Stripe's test mode settles those at once, so it is `succeeded` from the start. */
export function newRefund(init: RefundInit): Stripe.Refund {
  return {
    id: newId('re'),
    object: 'refund',
    amount: init.amount,
    balance_transaction: null,
    charge: init.charge.id,
    created: unixSeconds(),
    currency: init.charge.currency,
    customer: null,
    customer_account: null,
    metadata: init.metadata,
    payment_intent: typeof init.charge.payment_intent === 'string' ? init.charge.payment_intent : null,
    payment_method: init.charge.payment_method,
    reason: init.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}
