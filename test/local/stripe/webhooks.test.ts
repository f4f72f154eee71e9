import Stripe from 'stripe';
import { httpRequest } from '../../../local/stripe/http-client';
import {
  startStripeSandbox,
  type RunningStripeSandbox,
  type StripeSandboxOptions,
} from '../../../local/stripe/server';
import {
  rejectionOf,
  stripeFor,
  startWebhookReceiver,
  type ReceivedWebhook,
  type WebhookReceiver,
} from './sandbox-fixture';

const SECRET = 'whsec_conformance_secret';

interface Setup {
  sandbox: RunningStripeSandbox;
  stripe: Stripe;
  receiver: WebhookReceiver;
}

/** A sandbox delivering to a fresh receiver, stopped after `run` whatever happens. */
async function withSandbox(
  options: StripeSandboxOptions,
  run: (setup: Setup) => Promise<void>,
): Promise<void> {
  const receiver = await startWebhookReceiver();
  const sandbox = await startStripeSandbox({
    port: 0,
    retryBackoffMs: 20,
    webhookEndpoints: [{ url: receiver.url, secret: SECRET }],
    ...options,
  });
  try {
    await run({ sandbox, stripe: stripeFor(sandbox), receiver });
  } finally {
    await sandbox.stop();
    await receiver.close();
  }
}

function verify(stripe: Stripe, webhook: ReceivedWebhook, secret = SECRET): Stripe.Event {
  return stripe.webhooks.constructEvent(webhook.rawBody, String(webhook.headers['stripe-signature']), secret);
}

function payIntent(stripe: Stripe, paymentMethod = 'pm_card_visa'): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({
    amount: 5000,
    currency: 'eur',
    metadata: { booking_id: 'booking-w' },
    payment_method: paymentMethod,
    confirm: true,
  });
}

describe('Stripe sandbox: webhooks', () => {
  it('delivers every event signed as Stripe signs, verifiable by the SDK against the raw body', async () => {
    await withSandbox({}, async ({ sandbox, stripe, receiver }) => {
      const intent = await stripe.paymentIntents.create(
        { amount: 5000, currency: 'eur', metadata: { booking_id: 'booking-w' } },
        { idempotencyKey: 'create-w' },
      );
      await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
      await sandbox.idle();

      const events = receiver.received.map((webhook) => verify(stripe, webhook));

      expect(events.map((event) => event.type).sort()).toEqual(
        ['charge.succeeded', 'payment_intent.created', 'payment_intent.succeeded'].sort(),
      );
      const created = events.find((event) => event.type === 'payment_intent.created');
      const succeeded = events.find((event) => event.type === 'payment_intent.succeeded');
      expect(created).toMatchObject({
        object: 'event',
        api_version: Stripe.API_VERSION,
        livemode: false,
        pending_webhooks: 1,
        request: { id: expect.stringMatching(/^req_/), idempotency_key: 'create-w' },
        // A snapshot of the object when the event happened, not as it is now.
        data: { object: { id: intent.id, object: 'payment_intent', status: 'requires_payment_method' } },
      });
      expect(created?.id).toMatch(/^evt_/);
      expect(succeeded?.data.object).toMatchObject({
        id: intent.id,
        status: 'succeeded',
        metadata: { booking_id: 'booking-w' },
      });
      const types = receiver.received.map((webhook) => webhook.type);
      expect(types.indexOf('charge.succeeded')).toBeLessThan(types.indexOf('payment_intent.succeeded'));
      expect(receiver.received[0]?.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'user-agent': expect.stringMatching(/^Stripe\/1\.0/),
        'stripe-signature': expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/),
      });
      const retrieved = await stripe.events.retrieve(String(created?.id));
      expect(retrieved).toMatchObject({
        id: created?.id,
        type: 'payment_intent.created',
        pending_webhooks: 0,
      });
    });
  });

  it('fails verification for a re-serialised body or the wrong secret', async () => {
    await withSandbox({}, async ({ sandbox, stripe, receiver }) => {
      await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      await sandbox.idle();
      const [webhook] = receiver.received;
      if (!webhook) throw new Error('no webhook received');
      const signature = String(webhook.headers['stripe-signature']);
      const reserialised = JSON.stringify(JSON.parse(webhook.rawBody.toString('utf8')));

      expect(() => stripe.webhooks.constructEvent(reserialised, signature, SECRET)).toThrow(
        Stripe.errors.StripeSignatureVerificationError,
      );
      expect(() => verify(stripe, webhook, 'whsec_other')).toThrow(
        Stripe.errors.StripeSignatureVerificationError,
      );
    });
  });

  it('sends the events of a decline, a cancellation and a refund with their objects', async () => {
    await withSandbox({}, async ({ sandbox, stripe, receiver }) => {
      await rejectionOf(payIntent(stripe, 'pm_card_chargeDeclined'));
      const abandoned = await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      await stripe.paymentIntents.cancel(abandoned.id);
      const paid = await payIntent(stripe);
      await stripe.refunds.create({ payment_intent: paid.id, amount: 2000 });
      await sandbox.idle();

      const events = receiver.received.map((webhook) => verify(stripe, webhook));
      const byType = (type: string) => events.find((event) => event.type === type)?.data.object;

      expect(byType('payment_intent.payment_failed')).toMatchObject({
        status: 'requires_payment_method',
        last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' },
      });
      expect(byType('charge.failed')).toMatchObject({ object: 'charge', status: 'failed' });
      expect(byType('payment_intent.canceled')).toMatchObject({ id: abandoned.id, status: 'canceled' });
      expect(byType('charge.refunded')).toMatchObject({
        object: 'charge',
        payment_intent: paid.id,
        amount_refunded: 2000,
        refunded: false,
      });
      expect(byType('refund.created')).toMatchObject({
        object: 'refund',
        amount: 2000,
        payment_intent: paid.id,
      });
    });
  });

  it('signs for each endpoint with its own secret', async () => {
    const second = await startWebhookReceiver();
    try {
      await withSandbox({}, async ({ sandbox, stripe, receiver }) => {
        sandbox.configure({
          webhookEndpoints: [
            { url: receiver.url, secret: SECRET },
            { url: second.url, secret: 'whsec_second' },
          ],
        });
        await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
        await sandbox.idle();

        expect(verify(stripe, receiver.received[0] as ReceivedWebhook).pending_webhooks).toBe(2);
        expect(verify(stripe, second.received[0] as ReceivedWebhook, 'whsec_second').id).toBe(
          receiver.received[0]?.id,
        );
      });
    } finally {
      await second.close();
    }
  });

  it('retries a delivery that got a 500 until the endpoint accepts it', async () => {
    await withSandbox({}, async ({ sandbox, stripe, receiver }) => {
      receiver.answerNext(500, 500);

      await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      await sandbox.idle();

      expect(sandbox.deliveries().map(({ status, attempt }) => ({ status, attempt }))).toEqual([
        { status: 500, attempt: 1 },
        { status: 500, attempt: 2 },
        { status: 200, attempt: 3 },
      ]);
      expect(new Set(receiver.received.map((webhook) => webhook.id)).size).toBe(1);
      for (const webhook of receiver.received)
        expect(verify(stripe, webhook).type).toBe('payment_intent.created');
    });
  });

  it('retries a delivery the endpoint did not answer in time', async () => {
    await withSandbox({ deliveryTimeoutMs: 100 }, async ({ sandbox, stripe, receiver }) => {
      receiver.answerNext({ delayMs: 500, status: 200 });

      await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      await sandbox.idle();

      expect(sandbox.deliveries().map(({ status, attempt }) => ({ status, attempt }))).toEqual([
        { status: 'timeout', attempt: 1 },
        { status: 200, attempt: 2 },
      ]);
    });
  });

  it('gives up after maxDeliveryAttempts', async () => {
    await withSandbox({ maxDeliveryAttempts: 3 }, async ({ sandbox, stripe, receiver }) => {
      receiver.answerNext(503, 503, 503, 503);

      await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      await sandbox.idle();

      expect(sandbox.deliveries().map(({ attempt }) => attempt)).toEqual([1, 2, 3]);
      expect(receiver.received).toHaveLength(3);
      expect((await stripe.events.retrieve(receiver.received[0]?.id ?? '')).pending_webhooks).toBe(1);
    });
  });

  it('delivers every event several times when configured to duplicate', async () => {
    await withSandbox({ duplicateDeliveries: 2 }, async ({ sandbox, stripe, receiver }) => {
      await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      await sandbox.idle();

      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((webhook) => webhook.id)).size).toBe(1);
      expect(
        sandbox
          .deliveries()
          .map(({ copy }) => copy)
          .sort(),
      ).toEqual([0, 1, 2]);

      sandbox.configure({ duplicateDeliveries: 0 });
      await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      await sandbox.idle();

      expect(receiver.received).toHaveLength(4);
    });
  });

  it('reverses the order of deliveries when told to through the control API', async () => {
    await withSandbox({}, async ({ sandbox, stripe, receiver }) => {
      const configured = await httpRequest(`${sandbox.url}/_sandbox/config`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reorder: true, reorderWindowMs: 1000 }),
      });
      expect(configured.status).toBe(200);
      expect(JSON.parse(configured.body)).toMatchObject({ reorder: true, reorderWindowMs: 1000 });

      const intent = await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
      await sandbox.idle();

      expect(receiver.received.map((webhook) => webhook.type)).toEqual([
        'payment_intent.succeeded',
        'charge.succeeded',
        'payment_intent.created',
      ]);
    });
  });

  it('answers its control API: settings, deliveries and clear errors', async () => {
    await withSandbox({}, async ({ sandbox, stripe }) => {
      await stripe.paymentIntents.create({ amount: 5000, currency: 'eur' });
      expect(JSON.parse((await httpRequest(`${sandbox.url}/_sandbox/idle`)).body)).toEqual({ idle: true });

      const deliveries = await httpRequest(`${sandbox.url}/_sandbox/deliveries`);
      const invalid = await httpRequest(`${sandbox.url}/_sandbox/config`, {
        method: 'POST',
        body: JSON.stringify({ duplicateDeliveries: -1, colour: 'red' }),
      });
      const unknown = await httpRequest(`${sandbox.url}/_sandbox/nothing`);
      const settings = await httpRequest(`${sandbox.url}/_sandbox/config`);

      expect(JSON.parse(deliveries.body)).toEqual({
        data: [expect.objectContaining({ type: 'payment_intent.created', status: 200, attempt: 1, copy: 0 })],
      });
      expect(invalid.status).toBe(400);
      expect(JSON.parse(invalid.body)).toEqual({
        error: {
          type: 'invalid_request_error',
          message: expect.stringMatching(/duplicateDeliveries.*colour|colour.*duplicateDeliveries/),
        },
      });
      expect(unknown.status).toBe(404);
      expect(JSON.parse(settings.body)).toMatchObject({ duplicateDeliveries: 0 });
    });
  });
});
