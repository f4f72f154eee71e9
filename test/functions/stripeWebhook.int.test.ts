import { setTimeout as sleep } from 'node:timers/promises';
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
