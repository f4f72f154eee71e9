import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { LOCAL_STRIPE_WEBHOOK_SECRET } from '../../local/payments-wiring';
import { confirmLikePaymentSheet } from '../../local/stripe/payment-sheet';
import { createEventAs } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import { sandboxControl, sandboxStripe } from '../support/stripe-sandbox';
import {
  availableTickets,
  bookOrFail,
  payOrFail,
  problemType,
  storedStatus,
  stripeSandboxUrl,
  type ProblemJson,
} from './booking-fixtures';

const stripe = new Stripe('sk_test_webhook_tests');

/** Delivers `payload` to the local stripeWebhook with a valid signature of the local cloud's secret. */
function deliverSigned(payload: string) {
  const signature = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: LOCAL_STRIPE_WEBHOOK_SECRET,
  });
  return callFunction<ProblemJson & { outcome?: string }>('stripeWebhook', {
    rawBody: payload,
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
  });
}

const payload = JSON.stringify({
  id: 'evt_http_unsigned',
  object: 'event',
  type: 'payment_intent.succeeded',
  data: { object: { id: 'pi_unknown', object: 'payment_intent' } },
});

describe('POST /stripeWebhook', () => {
  it.each([
    ['a missing signature', {}],
    ['a forged signature', { 'Stripe-Signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }],
    ['a malformed signature', { 'Stripe-Signature': 'nonsense' }],
  ])('answers 400 to %s and records nothing', async (_case, headers: Record<string, string>) => {
    const response = await callFunction<ProblemJson>('stripeWebhook', {
      rawBody: payload,
      headers: { 'Content-Type': 'application/json', ...headers },
    });
    expect(response.status).toBe(400);
    expect(response.body.type).toBe(problemType('validation'));
    expect((await adminFirestore().collection('stripeEvents').doc('evt_http_unsigned').get()).exists).toBe(
      false,
    );
  });

  // The framework's JSON parser refuses what is not an object or array before the function runs.
  it.each([
    ['an empty body', '', 'validation'],
    ['not JSON', 'not json', 'malformed-json'],
    ['null', 'null', 'malformed-json'],
    ['an array', '[]', 'validation'],
    ['an empty object', '{}', 'validation'],
    [
      'an event without data',
      '{"id":"evt_http_no_data","object":"event","type":"payment_intent.succeeded"}',
      'validation',
    ],
    [
      'an event whose data has no object',
      '{"id":"evt_http_no_object","object":"event","type":"payment_intent.succeeded","data":{}}',
      'validation',
    ],
  ])('answers 400 to a correctly signed body that is %s, recording nothing', async (_case, body, slug) => {
    const response = await deliverSigned(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toBe(problemType(slug));
    for (const id of ['evt_http_no_data', 'evt_http_no_object']) {
      expect((await adminFirestore().collection('stripeEvents').doc(id).get()).exists).toBe(false);
    }
  });

  it('ignores a signed success of a PaymentIntent Stripe does not know, whatever its metadata says', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 5, surgeThreshold: 5 });
    const booking = await bookOrFail(await createRegisteredUser(), event.id, 1);
    const eventId = `evt_unknown_intent_${booking.id}`;
    const forged = {
      id: 'pi_stripe_never_heard_of',
      object: 'payment_intent',
      status: 'succeeded',
      amount: booking.total,
      currency: booking.currency.toLowerCase(),
      metadata: { booking_id: booking.id, payment_id: `${booking.id}_1` },
    };
    const payload = JSON.stringify({
      id: eventId,
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: forged },
    });

    const first = await deliverSigned(payload);
    const again = await deliverSigned(payload);

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.body).toEqual({ outcome: 'ignored' });
    expect(await storedStatus(booking.id)).toBe('held');
    expect((await adminFirestore().collection('stripeEvents').doc(eventId).get()).exists).toBe(false);
  });

  it('answers 405 to anything but POST', async () => {
    expect((await callFunction('stripeWebhook', { method: 'GET' })).status).toBe(405);
  });
});

/** Reads a payment until `done` holds: webhooks arrive asynchronously, retries after a backoff. */
async function paymentWhen(id: string, done: (status: unknown) => boolean): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const status = (await adminFirestore().collection('payments').doc(id).get()).get('status') as unknown;
    if (done(status)) return String(status);
    await sleep(100);
  }
  throw new Error(`payment ${id} never reached the expected state`);
}

/** A booking of two tickets paid at the local cloud's sandbox, which withholds its webhooks until released. */
async function paidWithWebhooksHeld() {
  const admin = await createCompanyAdmin();
  const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10 });
  const user = await createRegisteredUser();
  const booking = await bookOrFail(user, event.id, 2);
  const sandbox = sandboxControl(stripeSandboxUrl());
  const payment = await payOrFail(user, booking.id);
  await sandbox.hold(payment.stripePaymentIntentId);
  const paid = await confirmLikePaymentSheet({
    sandboxUrl: stripeSandboxUrl(),
    clientSecret: payment.clientSecret,
  });
  expect(paid.ok).toBe(true);
  return { event, user, booking, sandbox, payment };
}

describe('POST /stripeWebhook with events out of order (the local cloud sandbox reorders them)', () => {
  it('takes a refund delivered before its success back later and never confirms the refunded booking', async () => {
    const { event, user, booking, sandbox, payment } = await paidWithWebhooksHeld();
    await sandboxStripe(stripeSandboxUrl()).refunds.create({ payment_intent: payment.stripePaymentIntentId });

    const held = await sandbox.held(payment.stripePaymentIntentId);
    const refund = held.find((candidate) => candidate.type === 'charge.refunded');
    const success = held.find((candidate) => candidate.type === 'payment_intent.succeeded');
    if (refund === undefined || success === undefined)
      throw new Error('the sandbox withheld no refund or success');
    await sandbox.release(payment.stripePaymentIntentId, [refund.id, success.id]);

    expect(await paymentWhen(payment.id, (status) => status === 'refunded')).toBe('refunded');
    expect(await storedStatus(booking.id)).toBe('held');
    expect(await availableTickets(user, event.id)).toBe(8);
    // The refund was refused once (409) and taken on Stripe's retry, after the success.
    const deliveries = await sandbox.deliveries(refund.id);
    expect(deliveries[0]).toBe(409);
    await sandbox.release(payment.stripePaymentIntentId);
    expect(await paymentWhen(payment.id, () => true)).toBe('refunded');
  });
});

describe('POST /stripeWebhook with a payment that does not match its booking', () => {
  it('refunds a PaymentIntent whose amount received differs from the total, and confirms nothing', async () => {
    const { event, user, booking, sandbox, payment } = await paidWithWebhooksHeld();
    await sandbox.alter(payment.stripePaymentIntentId, { amount_received: booking.total - 1 });
    await sandbox.release(payment.stripePaymentIntentId);

    expect(await paymentWhen(payment.id, (status) => status === 'refunded')).toBe('refunded');
    expect(await storedStatus(booking.id)).toBe('held');
    const intent = await sandboxStripe(stripeSandboxUrl()).paymentIntents.retrieve(
      payment.stripePaymentIntentId,
      {
        expand: ['latest_charge'],
      },
    );
    expect(intent.latest_charge).toMatchObject({ refunded: true, amount_refunded: booking.total - 1 });
    expect(await availableTickets(user, event.id)).toBe(8);
  });
});
