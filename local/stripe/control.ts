import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { StripeApiError, toApiError } from './errors';
import { errorBody, readBody, sendJson } from './http-io';
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
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new StripeApiError(400, {
    type: 'invalid_request_error',
    message: `Invalid sandbox settings: ${issues.join('; ')}`,
  });
}

/**
 * The sandbox's control API (no authentication: it is local and for tests):
 * - `GET /_sandbox/config`: the delivery settings;
 * - `POST /_sandbox/config` with a JSON subset of them: changes them, answers the result;
 * - `GET /_sandbox/deliveries`: `{ "data": [...] }`, every webhook delivery attempt so far;
 * - `GET /_sandbox/idle`: answers once no delivery is running, held or waiting for a retry.
 */
export function createControlHandler(
  webhooks: WebhookDispatcher,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    control(webhooks, request).then(
      (body) => sendJson(response, 200, JSON.stringify(body, null, 2)),
      (error: unknown) => {
        const failure = toApiError(error);
        sendJson(response, failure.status, errorBody(failure));
      },
    );
  };
}

async function control(webhooks: WebhookDispatcher, request: IncomingMessage): Promise<object> {
  const path = new URL(request.url ?? '/', 'http://sandbox.invalid').pathname.slice(CONTROL_PREFIX.length);
  const route = `${request.method ?? 'GET'} ${path}`;
  switch (route) {
    case 'GET config':
      return webhooks.current();
    case 'POST config':
      webhooks.configure(parseSettingsUpdate(parseJson(await readBody(request))));
      return webhooks.current();
    case 'GET deliveries':
      return { data: webhooks.deliveries() };
    case 'GET idle':
      await webhooks.idle();
      return { idle: true };
    default:
      throw new StripeApiError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized sandbox control request (${route.replace(' ', `: ${CONTROL_PREFIX}`)}).`,
      });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      message: 'The body must be a JSON object.',
    });
  }
}
