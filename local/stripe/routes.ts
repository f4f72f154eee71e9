import type Stripe from 'stripe';
import { invalidRequest, parameterInvalid, parameterMissing } from './errors';
import type { OperationContext } from './events';
import { expandFields, readExpand, type ExpandableField } from './expand';
import { applyMetadata, readMetadata } from './metadata';
import type { Params } from './params';
import {
  cancelPaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  updatePaymentIntent,
} from './payment-intents';
import { createRefund, type RefundTarget } from './refunds';

/** What an operation answers with: a Stripe object, serialised as the response body. */
export type Operation = (ctx: OperationContext) => object;

/** One endpoint of the Stripe API subset. */
export interface Route {
  method: 'GET' | 'POST';
  /** Path with `:id` standing for one segment, e.g. `/v1/payment_intents/:id/confirm`. */
  path: string;
  /**
   * Whether a publishable key may call it for the PaymentIntent in the path when the request carries that
   * PaymentIntent's `client_secret` (how Stripe.js and the mobile SDKs confirm a payment).
   */
  clientSecretAccess?: boolean;
  /**
   * Validates the parameters and returns the operation to run. Errors thrown here are not saved for
   * idempotency: Stripe saves a result only once an endpoint has started executing.
   */
  prepare(params: Params, id: string): Operation;
}

const CANCELLATION_REASONS = ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] as const;
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
/** Stripe's amounts have at most eight digits. */
const AMOUNT_RANGE = { min: 1, max: 99_999_999 };
/** Accepted on confirmation although cards never redirect. */
const RETURN_URL = 'return_url';

/** Runs `run` and expands the fields the request asked for in its result. */
function expanding(params: Params, expandable: readonly ExpandableField[], run: Operation): Operation {
  const fields = readExpand(params, expandable);
  return (ctx) => expandFields(run(ctx), fields, ctx.state);
}

function currencyCode(value: string): string {
  // Stripe takes any case and answers in lower case.
  if (!/^[a-zA-Z]{3}$/.test(value))
    throw parameterInvalid('currency', `Invalid currency: ${value.toLowerCase()}.`);
  return value.toLowerCase();
}

function readAutomaticPaymentMethods(
  params: Params,
): Stripe.PaymentIntent.AutomaticPaymentMethods | undefined {
  const nested = params.nested('automatic_payment_methods')?.only(['enabled', 'allow_redirects']);
  if (!nested) return undefined;
  const enabled = nested.boolean('enabled');
  if (enabled === undefined) throw parameterMissing(nested.name('enabled'));
  return { enabled, allow_redirects: nested.oneOf('allow_redirects', ['always', 'never']) ?? 'always' };
}

function readPaymentMethodTypes(params: Params): string[] | undefined {
  const types = params.stringList('payment_method_types');
  const unsupported = types?.find((type) => type !== 'card');
  if (unsupported !== undefined) {
    throw parameterInvalid(
      'payment_method_types',
      `The payment method type "${unsupported}" is not supported by the Stripe sandbox (only "card" is).`,
    );
  }
  return types;
}

const createPaymentIntentRoute: Route = {
  method: 'POST',
  path: '/v1/payment_intents',
  prepare(params) {
    params.only([
      'amount',
      'currency',
      'metadata',
      'automatic_payment_methods',
      'payment_method',
      'payment_method_types',
      'confirm',
      'description',
      'receipt_email',
      RETURN_URL,
      'expand',
    ]);
    const amount = params.requiredInteger('amount', AMOUNT_RANGE);
    const currency = currencyCode(params.requiredString('currency'));
    const automatic = readAutomaticPaymentMethods(params);
    const types = readPaymentMethodTypes(params);
    if (automatic && types) {
      throw invalidRequest(
        'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.',
      );
    }
    const input = {
      amount,
      currency,
      description: params.nullableString('description') ?? null,
      metadata: applyMetadata({}, readMetadata(params)),
      // Since API version 2023-08-16 automatic payment methods are on unless types are listed.
      automaticPaymentMethods: types ? null : (automatic ?? { enabled: true, allow_redirects: 'always' }),
      paymentMethodTypes: types ?? ['card'],
      receiptEmail: params.nullableString('receipt_email') ?? null,
      paymentMethod: params.string('payment_method'),
      confirm: params.boolean('confirm') ?? false,
    };
    return expanding(params, ['latest_charge'], (ctx) => createPaymentIntent(ctx, input));
  },
};

const retrievePaymentIntentRoute: Route = {
  method: 'GET',
  path: '/v1/payment_intents/:id',
  clientSecretAccess: true,
  prepare(params, id) {
    params.only(['expand']);
    return expanding(params, ['latest_charge'], (ctx) => ctx.state.paymentIntent(id));
  },
};

const updatePaymentIntentRoute: Route = {
  method: 'POST',
  path: '/v1/payment_intents/:id',
  prepare(params, id) {
    params.only([
      'amount',
      'currency',
      'description',
      'metadata',
      'payment_method',
      'receipt_email',
      'expand',
    ]);
    const currency = params.string('currency');
    const input = {
      amount: params.integer('amount', AMOUNT_RANGE),
      currency: currency === undefined ? undefined : currencyCode(currency),
      description: params.nullableString('description'),
      metadata: readMetadata(params),
      paymentMethod: params.string('payment_method'),
      receiptEmail: params.nullableString('receipt_email'),
    };
    return expanding(params, ['latest_charge'], (ctx) => updatePaymentIntent(ctx, id, input));
  },
};

const confirmPaymentIntentRoute: Route = {
  method: 'POST',
  path: '/v1/payment_intents/:id/confirm',
  clientSecretAccess: true,
  prepare(params, id) {
    params.only(['payment_method', 'receipt_email', RETURN_URL, 'expand']);
    const input = {
      paymentMethod: params.string('payment_method'),
      receiptEmail: params.nullableString('receipt_email'),
    };
    return expanding(params, ['latest_charge'], (ctx) => confirmPaymentIntent(ctx, id, input));
  },
};

const cancelPaymentIntentRoute: Route = {
  method: 'POST',
  path: '/v1/payment_intents/:id/cancel',
  prepare(params, id) {
    params.only(['cancellation_reason', 'expand']);
    const reason = params.oneOf('cancellation_reason', CANCELLATION_REASONS);
    return expanding(params, ['latest_charge'], (ctx) => cancelPaymentIntent(ctx, id, reason));
  },
};

function readRefundTarget(params: Params): RefundTarget {
  const charge = params.string('charge');
  const paymentIntent = params.string('payment_intent');
  if (charge !== undefined) return { charge, paymentIntent };
  if (paymentIntent !== undefined) return { paymentIntent };
  throw invalidRequest(
    'One of the following params should be provided for this request: payment_intent or charge.',
  );
}

const createRefundRoute: Route = {
  method: 'POST',
  path: '/v1/refunds',
  prepare(params) {
    params.only(['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
    const input = {
      target: readRefundTarget(params),
      amount: params.integer('amount', AMOUNT_RANGE),
      reason: params.oneOf('reason', REFUND_REASONS) ?? null,
      metadata: readMetadata(params),
    };
    return expanding(params, ['charge', 'payment_intent'], (ctx) => createRefund(ctx, input));
  },
};

const retrieveRefundRoute: Route = {
  method: 'GET',
  path: '/v1/refunds/:id',
  prepare(params, id) {
    params.only(['expand']);
    return expanding(params, ['charge', 'payment_intent'], (ctx) => ctx.state.refund(id));
  },
};

const retrieveChargeRoute: Route = {
  method: 'GET',
  path: '/v1/charges/:id',
  prepare(params, id) {
    params.only(['expand']);
    return expanding(params, ['payment_intent'], (ctx) => ctx.state.charge(id));
  },
};

const retrieveEventRoute: Route = {
  method: 'GET',
  path: '/v1/events/:id',
  prepare(params, id) {
    params.only([]);
    return (ctx) => ctx.state.event(id);
  },
};

/** Every endpoint the sandbox serves. */
export const ROUTES: readonly Route[] = [
  createPaymentIntentRoute,
  retrievePaymentIntentRoute,
  updatePaymentIntentRoute,
  confirmPaymentIntentRoute,
  cancelPaymentIntentRoute,
  createRefundRoute,
  retrieveRefundRoute,
  retrieveChargeRoute,
  retrieveEventRoute,
];

/** The route for a request and the `:id` of its path, or undefined when the sandbox has no such endpoint. */
export function matchRoute(method: string, pathname: string): { route: Route; id: string } | undefined {
  const segments = pathname.split('/');
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    let id = '';
    const matches = pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part !== ':id') return part === segment;
      id = decodePathSegment(segment);
      return segment !== '';
    });
    if (matches) return { route, id };
  }
  return undefined;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Not an id the sandbox could have issued; answered as an unknown object.
    return segment;
  }
}
