import { createServer } from 'node:http';
import Stripe from 'stripe';
import { boundPort } from '../ports';
import {
  CONTROL_PREFIX,
  createControlHandler,
  parseSettingsUpdate,
  type DeliverySettingsUpdate,
} from './control';
import type { SandboxEvent } from './events';
import { DEFAULT_IDEMPOTENCY_KEY_TTL_MS, IdempotencyStore } from './idempotency';
import { alterPaymentIntent, type PaymentIntentAlteration } from './payment-intents';
import { createApiHandler } from './router';
import { ApiFaultInjector } from './api-faults';
import { SandboxRateLimiter } from './rate-limit';
import { SandboxState } from './state';
import {
  WebhookDispatcher,
  type DeliveryRecord,
  type DeliverySettings,
  type WebhookEndpoint,
} from './webhooks';

/** The sandbox's address in the API contract's list of local services. */
export const DEFAULT_STRIPE_SANDBOX_PORT = 12111;

/**
 * Delivery defaults: a quick local version of Stripe's schedule (Stripe retries for three days), one
 * delivery per event, in order.
 */
export const DEFAULT_DELIVERY_SETTINGS: Readonly<DeliverySettings> = {
  webhookEndpoints: [],
  retryBackoffMs: 1000,
  maxDeliveryAttempts: 8,
  duplicateDeliveries: 0,
  reorder: false,
  reorderWindowMs: 100,
  deliveryTimeoutMs: 10_000,
};

/** How to start the sandbox; every delivery setting can also change later through `configure`. */
export interface StripeSandboxOptions extends DeliverySettingsUpdate {
  /** `127.0.0.1` by default. */
  host?: string;
  /** {@link DEFAULT_STRIPE_SANDBOX_PORT} by default; 0 picks a free port. */
  port?: number;
  /** Where events are delivered, each with its signing secret (`whsec_...`). */
  webhookEndpoints?: WebhookEndpoint[];
  /** How long idempotency keys are kept; 24 hours by default, as Stripe's minimum. */
  idempotencyKeyTtlMs?: number;
  /** The version reported in events and responses; the installed `stripe` SDK's pinned version by default. */
  apiVersion?: string;
}

/** A running sandbox. */
export interface RunningStripeSandbox {
  /** Base URL, e.g. `http://127.0.0.1:12111`. */
  readonly url: string;
  readonly port: number;
  /** Abandons pending deliveries, stops listening and closes open connections. */
  stop(): Promise<void>;
  /** Changes delivery settings (duplicates, reordering, retries, endpoints) while running. */
  configure(options: DeliverySettingsUpdate): void;
  /** Every webhook delivery attempt so far, oldest first. */
  deliveries(): readonly DeliveryRecord[];
  /** Resolves once no webhook delivery is running, held for reordering or waiting for a retry. */
  idle(): Promise<void>;
  /** Withholds the PaymentIntent's events (its own, its charges', its refunds') until released. */
  hold(paymentIntentId: string): void;
  /** The events withheld and not yet released, oldest first. */
  held(): readonly SandboxEvent[];
  /**
   * Sends the named withheld events of the PaymentIntent in that order, or all of them in order, which
   * ends the withholding; returns those sent.
   */
  release(paymentIntentId: string, eventIds?: readonly string[]): readonly SandboxEvent[];
  /** Changes a PaymentIntent's amounts, currency or status without an event (see `alterPaymentIntent`). */
  alterPaymentIntent(id: string, alteration: PaymentIntentAlteration): Stripe.PaymentIntent;
}

/**
 * Starts an offline Stripe sandbox: the PaymentIntent, refund and event endpoints of Stripe's API (form
 * encoded, Bearer `sk_test_...` auth, idempotency keys) with signed webhook delivery, for the real `stripe`
 * SDK configured with `{ host, port, protocol: 'http' }`. See `docs/local-stripe-sandbox.md`.
 */
export async function startStripeSandbox(options: StripeSandboxOptions = {}): Promise<RunningStripeSandbox> {
  const {
    host = '127.0.0.1',
    port = DEFAULT_STRIPE_SANDBOX_PORT,
    idempotencyKeyTtlMs,
    apiVersion,
    ...delivery
  } = options;
  const state = new SandboxState();
  const webhooks = new WebhookDispatcher(
    { ...DEFAULT_DELIVERY_SETTINGS, ...parseSettingsUpdate(delivery) },
    (id) => {
      const event = state.events.get(id);
      if (event) event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
    },
  );
  const faults = new ApiFaultInjector();
  const rateLimit = new SandboxRateLimiter();
  const api = createApiHandler({
    faults,
    rateLimit,
    state,
    webhooks,
    idempotency: new IdempotencyStore(idempotencyKeyTtlMs ?? DEFAULT_IDEMPOTENCY_KEY_TTL_MS),
    apiVersion: apiVersion ?? Stripe.API_VERSION,
  });
  const control = createControlHandler(webhooks, state, faults, rateLimit);
  const server = createServer((request, response) =>
    (request.url ?? '').startsWith(CONTROL_PREFIX) ? control(request, response) : api(request, response),
  );

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const boundTo = boundPort(server);
      resolve({
        url: `http://${host}:${boundTo}`,
        port: boundTo,
        stop: async () => {
          await webhooks.stop();
          await new Promise<void>((resolveStop, rejectStop) => {
            server.close((error) => (error ? rejectStop(error) : resolveStop()));
            server.closeAllConnections();
          });
        },
        configure: (update) => webhooks.configure(parseSettingsUpdate(update)),
        deliveries: () => webhooks.deliveries(),
        idle: () => webhooks.idle(),
        hold: (paymentIntentId) => webhooks.withhold(paymentIntentId),
        held: () => webhooks.withheldEvents(),
        release: (paymentIntentId, eventIds) => webhooks.release(paymentIntentId, eventIds),
        alterPaymentIntent: (id, alteration) => alterPaymentIntent(state, id, alteration),
      });
    });
  });
}
