import type Stripe from 'stripe';

/** The `type` of a Stripe API error: the SDK picks its error class from it and the HTTP status. */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

/** The `error` member of a Stripe error response, as documented at docs.stripe.com/api/errors. */
export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  doc_url?: string;
  param?: string;
  charge?: string;
  payment_intent?: Stripe.PaymentIntent;
}

/**
 * An error answered the way Stripe answers it: an HTTP status and `{ "error": { ... } }`. Thrown anywhere in
 * the sandbox's request handling and written out by the router.
 */
export class StripeApiError extends Error {
  readonly body: StripeErrorBody;

  constructor(
    readonly status: number,
    body: StripeErrorBody,
    /** Extra response headers, such as `WWW-Authenticate` on a 401. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
    // Stripe links every coded error to its page; clients log the link.
    this.body = body.code && !body.doc_url ? { ...body, doc_url: docUrl(body.code) } : body;
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
}

/** A 400 `invalid_request_error`, optionally naming the parameter at fault and a machine-readable code. */
export function invalidRequest(
  message: string,
  details: { param?: string; code?: string } = {},
): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', message, ...details });
}

/** A required parameter is absent. */
export function parameterMissing(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { param, code: 'parameter_missing' });
}

/** A parameter this endpoint does not take (Stripe rejects unknown parameters instead of ignoring them). */
export function parameterUnknown(param: string): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, { param, code: 'parameter_unknown' });
}

/** A parameter with a value of the wrong kind or outside its range. */
export function parameterInvalid(param: string, message: string): StripeApiError {
  return invalidRequest(message, { param });
}

/**
 * An object that does not exist: 404 when its id is in the path, 400 when a parameter refers to it, as
 * Stripe answers.
 */
export function resourceMissing(resource: string, id: string, param?: string): StripeApiError {
  return new StripeApiError(param === undefined ? 404 : 400, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${resource}: '${id}'`,
    param: param ?? 'id',
  });
}

/** The PaymentIntent's status does not allow the operation. */
export function paymentIntentUnexpectedState(message: string): StripeApiError {
  return invalidRequest(message, { code: 'payment_intent_unexpected_state' });
}

/**
 * The error to answer for anything thrown while serving a request. Anything but a {@link StripeApiError} is a
 * sandbox bug: it is answered as Stripe answers its own faults (500 `api_error`) and shown to whoever runs
 * the sandbox.
 */
export function toApiError(error: unknown): StripeApiError {
  if (error instanceof StripeApiError) return error;
  console.error('stripe sandbox: unexpected error', error);
  return new StripeApiError(500, {
    type: 'api_error',
    message: 'An unexpected error occurred in the Stripe sandbox.',
  });
}
