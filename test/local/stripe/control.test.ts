import type Stripe from 'stripe';
import { httpRequest } from '../../../local/stripe/http-client';
import { startStripeSandbox, type RunningStripeSandbox } from '../../../local/stripe/server';
import { rejectionOf, startWebhookReceiver, stripeFor, type WebhookReceiver } from './sandbox-fixture';

const SECRET = 'whsec_control_secret';

interface Setup {
  sandbox: RunningStripeSandbox;
  stripe: Stripe;
  receiver: WebhookReceiver;
}

async function withSandbox(run: (setup: Setup) => Promise<void>): Promise<void> {
  const receiver = await startWebhookReceiver();
  const sandbox = await startStripeSandbox({
    port: 0,
    retryBackoffMs: 20,
    webhookEndpoints: [{ url: receiver.url, secret: SECRET }],
  });
  try {
    await run({ sandbox, stripe: stripeFor(sandbox), receiver });
  } finally {
    await sandbox.stop();
    await receiver.close();
  }
}

function postJson(url: string, body: unknown) {
  return httpRequest(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function paidIntent(stripe: Stripe): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({ amount: 5000, currency: 'eur', payment_method: 'pm_card_visa' });
}

describe('Stripe sandbox control: withheld webhooks', () => {
  it("withholds one PaymentIntent's events until released, in the order the test names", async () => {
    await withSandbox(async ({ sandbox, stripe, receiver }) => {
      const held = await paidIntent(stripe);
      const free = await paidIntent(stripe);
      expect((await postJson(`${sandbox.url}/_sandbox/hold`, { paymentIntent: held.id })).status).toBe(200);
      await stripe.paymentIntents.confirm(held.id);
      await stripe.refunds.create({ payment_intent: held.id, amount: 1000 });
      await stripe.paymentIntents.confirm(free.id);
      await sandbox.idle();

      const received = () => receiver.received.map((webhook) => webhook.type);
      // Separate requests' deliveries may interleave; the sorted list says none of `held`'s later events came.
      expect([...received()].sort()).toEqual(
        [
          'charge.succeeded',
          'payment_intent.created',
          'payment_intent.created',
          'payment_intent.succeeded',
        ].sort(),
      );
      expect(receiver.received.map((webhook) => webhook.rawBody.toString())).not.toContainEqual(
        expect.stringContaining(`"payment_intent": "${held.id}"`),
      );
      const listed = JSON.parse((await httpRequest(`${sandbox.url}/_sandbox/held`)).body) as {
        data: { id: string; type: string; paymentIntent: string }[];
      };
      expect(listed.data.map((event) => [event.type, event.paymentIntent])).toEqual([
        ['charge.succeeded', held.id],
        ['payment_intent.succeeded', held.id],
        ['charge.refunded', held.id],
        ['refund.created', held.id],
      ]);

      const refunded = listed.data.find((event) => event.type === 'charge.refunded');
      const succeeded = listed.data.find((event) => event.type === 'payment_intent.succeeded');
      const first = await postJson(`${sandbox.url}/_sandbox/release`, {
        paymentIntent: held.id,
        events: [refunded?.id, succeeded?.id],
      });
      expect(first.status).toBe(200);
      await sandbox.idle();
      expect(received().slice(4)).toEqual(['charge.refunded', 'payment_intent.succeeded']);
      expect(sandbox.held().map((event) => event.type)).toEqual(['charge.succeeded', 'refund.created']);

      // Still withheld: events made after a partial release wait too.
      await stripe.refunds.create({ payment_intent: held.id, amount: 500 });
      await sandbox.idle();
      expect(receiver.received).toHaveLength(6);

      const rest = sandbox.release(held.id);
      expect(rest.map((event) => event.type)).toEqual([
        'charge.succeeded',
        'refund.created',
        'charge.refunded',
        'refund.created',
      ]);
      await sandbox.idle();
      expect(received().slice(6)).toEqual(rest.map((event) => event.type));
      expect(sandbox.held()).toEqual([]);

      // Released for good: the next event goes out at once.
      await stripe.refunds.create({ payment_intent: held.id, amount: 500 });
      await sandbox.idle();
      expect(received().slice(10)).toEqual(['charge.refunded', 'refund.created']);
    });
  });

  it('refuses unknown event ids and malformed requests with 400', async () => {
    await withSandbox(async ({ sandbox, stripe }) => {
      const intent = await paidIntent(stripe);
      sandbox.hold(intent.id);
      const unknown = await postJson(`${sandbox.url}/_sandbox/release`, {
        paymentIntent: intent.id,
        events: ['evt_nothing'],
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatch(/evt_nothing/);
      expect((await postJson(`${sandbox.url}/_sandbox/hold`, {})).status).toBe(400);
      expect((await postJson(`${sandbox.url}/_sandbox/hold`, { paymentIntent: 'pi', other: 1 })).status).toBe(
        400,
      );
    });
  });
});

describe('Stripe sandbox control: PaymentIntent changes', () => {
  it('changes amount_received and currency of a paid PaymentIntent, and its charge with them', async () => {
    await withSandbox(async ({ sandbox, stripe }) => {
      const intent = await paidIntent(stripe);
      await stripe.paymentIntents.confirm(intent.id);
      const answer = await postJson(`${sandbox.url}/_sandbox/payment_intents/${intent.id}`, {
        amount_received: 4000,
        currency: 'usd',
      });
      expect(answer.status).toBe(200);
      const changed = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });
      expect(changed).toMatchObject({
        status: 'succeeded',
        amount: 5000,
        amount_received: 4000,
        currency: 'usd',
      });
      expect(changed.latest_charge).toMatchObject({ amount: 4000, currency: 'usd' });
      const refund = await stripe.refunds.create({ payment_intent: intent.id });
      expect(refund).toMatchObject({ amount: 4000, currency: 'usd' });
    });
  });

  it('puts a PaymentIntent in requires_action or processing, which it cannot be confirmed from', async () => {
    await withSandbox(async ({ sandbox, stripe }) => {
      const intent = await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      sandbox.alterPaymentIntent(intent.id, { status: 'processing' });
      expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('processing');
      const refused = await rejectionOf(
        stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }),
      );
      expect(refused.code).toBe('payment_intent_unexpected_state');
      await postJson(`${sandbox.url}/_sandbox/payment_intents/${intent.id}`, { status: 'requires_action' });
      expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
    });
  });

  it('answers 400 to a change it does not know and 404 for an unknown PaymentIntent', async () => {
    await withSandbox(async ({ sandbox, stripe }) => {
      const intent = await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      const url = `${sandbox.url}/_sandbox/payment_intents/${intent.id}`;
      expect((await postJson(url, { status: 'succeeded' })).status).toBe(400);
      expect((await postJson(url, { amount: -1 })).status).toBe(400);
      expect((await postJson(url, { metadata: {} })).status).toBe(400);
      expect(
        (await postJson(`${sandbox.url}/_sandbox/payment_intents/pi_nothing`, { amount: 1 })).status,
      ).toBe(404);
      expect((await stripe.paymentIntents.retrieve(intent.id)).amount).toBe(5000);
    });
  });
});
