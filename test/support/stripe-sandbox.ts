import Stripe from 'stripe';
import { httpRequest } from '../../local/stripe/http-client';
import type { PaymentIntentAlteration } from '../../local/stripe/payment-intents';

/** An event the sandbox withholds or released, as its control API lists it. */
export interface WithheldEvent {
  readonly id: string;
  readonly type: string;
  readonly paymentIntent: string;
}

async function control<T>(sandboxUrl: string, path: string, body?: unknown): Promise<T> {
  const answer = await httpRequest(`${sandboxUrl}/_sandbox/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (answer.status !== 200) throw new Error(`sandbox ${path} answered ${answer.status}: ${answer.body}`);
  return JSON.parse(answer.body) as T;
}

/**
 * The control API of a Stripe sandbox (docs/local-stripe-sandbox.md) over HTTP, so that tests can drive the
 * local cloud's sandbox, which runs in another process: withhold a PaymentIntent's webhooks, release them
 * in any order, and change a PaymentIntent behind the API's back.
 */
export function sandboxControl(sandboxUrl: string) {
  return {
    hold: (paymentIntent: string) => control<object>(sandboxUrl, 'hold', { paymentIntent }),
    /** The events withheld for the PaymentIntent, oldest first. */
    held: async (paymentIntent: string) =>
      (await control<{ data: WithheldEvent[] }>(sandboxUrl, 'held')).data.filter(
        (event) => event.paymentIntent === paymentIntent,
      ),
    /** Sends the named events in that order, or all of the PaymentIntent's (which ends the hold). */
    release: async (paymentIntent: string, events?: readonly string[]) =>
      (
        await control<{ data: WithheldEvent[] }>(sandboxUrl, 'release', {
          paymentIntent,
          ...(events === undefined ? {} : { events }),
        })
      ).data,
    /** The HTTP status (or failure) of each delivery attempt of the event so far, oldest first. */
    deliveries: async (eventId: string) =>
      (await control<{ data: { eventId: string; status: number | string }[] }>(sandboxUrl, 'deliveries')).data
        .filter((delivery) => delivery.eventId === eventId)
        .map((delivery) => delivery.status),
    alter: (paymentIntent: string, alteration: PaymentIntentAlteration) =>
      control<object>(sandboxUrl, `payment_intents/${paymentIntent}`, alteration),
  };
}

/** The real SDK on a sandbox, as the Stripe dashboard or a back office would act on the account. */
export function sandboxStripe(sandboxUrl: string): Stripe {
  const url = new URL(sandboxUrl);
  return new Stripe('sk_test_dashboard', { host: url.hostname, port: Number(url.port), protocol: 'http' });
}
