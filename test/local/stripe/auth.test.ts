import Stripe from 'stripe';
import { httpRequest } from '../../../local/stripe/http-client';
import { confirmLikePaymentSheet, SANDBOX_PUBLISHABLE_KEY } from '../../../local/stripe/payment-sheet';
import { rejectionOf, SECRET_KEY, stripeFor, useStripeSandbox } from './sandbox-fixture';

const fixture = useStripeSandbox();

function newIntent(): Promise<Stripe.PaymentIntent> {
  return fixture.stripe.paymentIntents.create({ amount: 1200, currency: 'eur' });
}

describe('Stripe sandbox: authentication', () => {
  it('answers a request without an API key with 401, which the SDK raises as StripeAuthenticationError', async () => {
    // An authenticator that adds nothing: the request goes out with no Authorization header at all.
    const anonymous = new Stripe('', {
      host: '127.0.0.1',
      port: fixture.sandbox.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      authenticator: async () => undefined,
    });

    const error = await rejectionOf(anonymous.paymentIntents.create({ amount: 1000, currency: 'eur' }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/^You did not provide an API key/);
  });

  it.each(['sk_live_0123456789abcdef', 'not-a-key'])('answers the key %s with 401', async (key) => {
    const error = await rejectionOf(stripeFor(fixture.sandbox, key).paymentIntents.retrieve('pi_x'));

    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.message).toMatch(/^Invalid API Key provided/);
  });

  it('accepts the secret key as HTTP Basic user name, as curl -u sends it', async () => {
    const intent = await newIntent();

    const response = await httpRequest(`${fixture.sandbox.url}/v1/payment_intents/${intent.id}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${SECRET_KEY}:`).toString('base64')}` },
    });

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ id: intent.id });
  });

  it('lets a publishable key confirm with the client secret, like the mobile PaymentSheet', async () => {
    const intent = await newIntent();

    const result = await confirmLikePaymentSheet({
      sandboxUrl: fixture.sandbox.url,
      clientSecret: String(intent.client_secret),
    });

    expect(result).toMatchObject({ ok: true, paymentIntent: { id: intent.id, status: 'succeeded' } });
  });

  it('reports a declined card to the client as a 402 card error', async () => {
    const intent = await newIntent();

    const result = await confirmLikePaymentSheet({
      sandboxUrl: fixture.sandbox.url,
      clientSecret: String(intent.client_secret),
      paymentMethod: 'pm_card_chargeDeclined',
    });

    expect(result).toMatchObject({
      ok: false,
      status: 402,
      error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' },
    });
  });

  it('refuses a publishable key with the wrong client secret', async () => {
    const intent = await newIntent();
    const other = await newIntent();

    const result = await confirmLikePaymentSheet({
      sandboxUrl: fixture.sandbox.url,
      clientSecret: `${intent.id}_secret_${String(other.client_secret).split('_secret_')[1]}`,
    });

    expect(result).toMatchObject({ ok: false, status: 400, error: { param: 'client_secret' } });
    expect((await fixture.stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_payment_method');
  });

  it('lets a publishable key read its PaymentIntent with the client secret, and nothing else', async () => {
    const intent = await newIntent();
    const headers = { Authorization: `Bearer ${SANDBOX_PUBLISHABLE_KEY}` };
    const secret = encodeURIComponent(String(intent.client_secret));

    const read = await httpRequest(
      `${fixture.sandbox.url}/v1/payment_intents/${intent.id}?client_secret=${secret}`,
      { headers },
    );
    const create = await httpRequest(`${fixture.sandbox.url}/v1/payment_intents`, {
      method: 'POST',
      headers,
      body: 'amount=100&currency=eur',
    });

    expect(read.status).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ id: intent.id });
    expect(create.status).toBe(401);
  });

  it('answers an unknown URL with a 404 invalid_request_error', async () => {
    const response = await httpRequest(`${fixture.sandbox.url}/v1/customers`, {
      headers: { Authorization: `Bearer ${SECRET_KEY}` },
    });

    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/^Unrecognized request URL/) },
    });
  });
});
