import Stripe from 'stripe';
import { LOCAL_STRIPE_WEBHOOK_SECRET } from '../../local/payments-wiring';
import { createEventAs } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import { bookOrFail, problemType, storedStatus, type ProblemJson } from './booking-fixtures';

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
