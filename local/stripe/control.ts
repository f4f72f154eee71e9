import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { apiFaultSettingsSchema, type ApiFaultInjector } from './api-faults';
import { rateLimitSettingsSchema, type SandboxRateLimiter } from './rate-limit';
import { StripeApiError, toApiError } from './errors';
import { paymentIntentOfEvent, type SandboxEvent } from './events';
import { errorBody, readBody, sendJson } from './http-io';
import { ALTERABLE_STATUSES, alterPaymentIntent } from './payment-intents';
import type { SandboxState } from './state';
import type { DeliverySettings, WebhookDispatcher } from './webhooks';

/** Prefix of the sandbox's own endpoints, outside Stripe's `/v1` namespace. */
export const CONTROL_PREFIX = '/_sandbox/';

/** Checks a change of delivery settings, from the start options or from `POST /_sandbox/config`. */
const deliverySettingsUpdate = z.strictObject({
  webhookEndpoints: z
    .array(z.strictObject({ url: z.url({ protocol: /^https?$/ }), secret: z.string().min(1) }))
    .optional(),
  retryBackoffMs: z.int().min(0).optional(),
  maxDeliveryAttempts: z.int().min(1).optional(),
  duplicateDeliveries: z.int().min(0).max(100).optional(),
  reorder: z.boolean().optional(),
  reorderWindowMs: z.int().min(0).optional(),
  deliveryTimeoutMs: z.int().min(1).optional(),
});

const holdRequest = z.strictObject({ paymentIntent: z.string().min(1) });
const releaseRequest = z.strictObject({
  paymentIntent: z.string().min(1),
  events: z.array(z.string().min(1)).optional(),
});
const paymentIntentAlteration = z.strictObject({
  amount: z.int().min(0).optional(),
  amount_received: z.int().min(0).optional(),
  currency: z
    .string()
    .regex(/^[a-z]{3}$/)
    .optional(),
  status: z.enum(ALTERABLE_STATUSES).optional(),
  refunds_fail: z.boolean().optional(),
});

/** A change of delivery settings: any subset of them. */
export type DeliverySettingsUpdate = z.infer<typeof deliverySettingsUpdate>;

/** The settings a change leads to, or a 400 that says which field is wrong. */
export function parseSettingsUpdate(input: unknown): Partial<DeliverySettings> {
  const result = deliverySettingsUpdate.safeParse(input);
  if (result.success) {
    // An option passed as undefined means "unchanged", not "set to undefined".
    const given = Object.entries(result.data).filter(([, value]) => value !== undefined);
    return Object.fromEntries(given) as Partial<DeliverySettings>;
  }
  throw invalidControlRequest('sandbox settings', result.error);
}

function invalidControlRequest(what: string, error: z.ZodError): StripeApiError {
  const issues = error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    message: `Invalid ${what}: ${issues.join('; ')}`,
  });
}

function parseRequest<T>(schema: z.ZodType<T>, what: string, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidControlRequest(what, result.error);
  return result.data;
}

/** How the control API lists an event it withholds or released. */
function eventSummary(event: SandboxEvent) {
  return { id: event.id, type: event.type, paymentIntent: paymentIntentOfEvent(event) };
}

/**
 * The sandbox's control API (no authentication: it is local and for tests):
 * - `GET /_sandbox/config`: the delivery settings;
 * - `POST /_sandbox/config` with a JSON subset of them: changes them, answers the result;
 * - `GET /_sandbox/faults`, `POST /_sandbox/faults` `{ fraction, answers?, seed?, timeoutMs? }`: the API faults
 *   (api-faults.ts), replaced as a whole;
 * - `GET /_sandbox/deliveries`: `{ "data": [...] }`, every webhook delivery attempt so far;
 * - `GET /_sandbox/idle`: answers once no delivery is running, held or waiting for a retry;
 * - `POST /_sandbox/hold` `{ paymentIntent }`: withholds that PaymentIntent's events from now on;
 * - `GET /_sandbox/held`: `{ "data": [{ id, type, paymentIntent }] }`, the events withheld;
 * - `POST /_sandbox/release` `{ paymentIntent, events? }`: sends the named withheld events in that order,
 *   or all of them in order (which ends the withholding); answers those sent;
 * - `GET /_sandbox/rate_limit`, `POST /_sandbox/rate_limit` `{ requestsPerSecond, perEndpointPerSecond }`:
 *   Stripe's rate limits (rate-limit.ts; null turns one off), with the count of requests refused so far;
 * - `POST /_sandbox/payment_intents/:id` `{ amount?, amount_received?, currency?, status? }`: changes the
 *   PaymentIntent without an event and answers it.
 */
export function createControlHandler(
  webhooks: WebhookDispatcher,
  state: SandboxState,
  faults: ApiFaultInjector,
  rateLimit: SandboxRateLimiter,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    control({ webhooks, state, faults, rateLimit }, request).then(
      (body) => sendJson(response, 200, JSON.stringify(body, null, 2)),
      (error: unknown) => {
        const failure = toApiError(error);
        sendJson(response, failure.status, errorBody(failure));
      },
    );
  };
}

const ALTER_PAYMENT_INTENT = 'POST payment_intents/';

interface Controlled {
  readonly webhooks: WebhookDispatcher;
  readonly state: SandboxState;
  readonly faults: ApiFaultInjector;
  readonly rateLimit: SandboxRateLimiter;
}

async function control(
  { webhooks, state, faults, rateLimit }: Controlled,
  request: IncomingMessage,
): Promise<object> {
  const path = new URL(request.url ?? '/', 'http://sandbox.invalid').pathname.slice(CONTROL_PREFIX.length);
  const route = `${request.method ?? 'GET'} ${path}`;
  if (route.startsWith(ALTER_PAYMENT_INTENT)) {
    const id = decodeURIComponent(route.slice(ALTER_PAYMENT_INTENT.length));
    const alteration = parseRequest(paymentIntentAlteration, 'PaymentIntent change', await jsonBody(request));
    return alterPaymentIntent(state, id, alteration);
  }
  switch (route) {
    case 'GET config':
      return webhooks.current();
    case 'POST config':
      webhooks.configure(parseSettingsUpdate(await jsonBody(request)));
      return webhooks.current();
    case 'GET faults':
      return faults.current();
    case 'POST faults':
      faults.configure(parseRequest(apiFaultSettingsSchema, 'API faults', await jsonBody(request)));
      return faults.current();
    case 'GET rate_limit':
      return rateLimit.current();
    case 'POST rate_limit':
      rateLimit.configure(parseRequest(rateLimitSettingsSchema, 'rate limits', await jsonBody(request)));
      return rateLimit.current();
    case 'GET deliveries':
      return { data: webhooks.deliveries() };
    case 'GET idle':
      await webhooks.idle();
      return { idle: true };
    case 'POST hold': {
      const { paymentIntent } = parseRequest(holdRequest, 'hold request', await jsonBody(request));
      webhooks.withhold(paymentIntent);
      return { paymentIntent };
    }
    case 'GET held':
      return { data: webhooks.withheldEvents().map(eventSummary) };
    case 'POST release': {
      const { paymentIntent, events } = parseRequest(
        releaseRequest,
        'release request',
        await jsonBody(request),
      );
      return { data: webhooks.release(paymentIntent, events).map(eventSummary) };
    }
    default:
      throw new StripeApiError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized sandbox control request (${route.replace(' ', `: ${CONTROL_PREFIX}`)}).`,
      });
  }
}

async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  try {
    return JSON.parse(text);
  } catch {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      message: 'The body must be a JSON object.',
    });
  }
}
