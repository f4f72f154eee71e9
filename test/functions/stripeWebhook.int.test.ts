import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { problemType, type ProblemJson } from './booking-fixtures';

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
