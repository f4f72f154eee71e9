import Stripe from 'stripe';
import { httpRequest } from '../../../local/stripe/http-client';
import { rejectionOf, SECRET_KEY, useStripeSandbox } from './sandbox-fixture';

const fixture = useStripeSandbox();

function setFaults(body: unknown) {
  return httpRequest(`${fixture.sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function createIntent(idempotencyKey?: string) {
  return fixture.stripe.paymentIntents.create(
    { amount: 5000, currency: 'eur' },
    idempotencyKey === undefined ? {} : { idempotencyKey },
  );
}

/** Whether the request of `key` had been applied: a retry without faults replays its saved answer. */
async function appliedBefore(key: string): Promise<boolean> {
  await setFaults({ fraction: 0 });
  const retried = await createIntent(key);
  return retried.lastResponse.headers['idempotent-replayed'] === 'true';
}

describe('Stripe sandbox API faults', () => {
  afterEach(() => setFaults({ fraction: 0 }));

  it('answers 429 rate_limit before applying the request', async () => {
    await setFaults({ fraction: 1, answers: [{ status: 429, when: 'before-apply' }] });
    const error = await rejectionOf(createIntent('fault-429'));
    expect(error.statusCode).toBe(429);
    expect(error.code).toBe('rate_limit');
    expect(await appliedBefore('fault-429')).toBe(false);
  });

  it('answers 500 after applying the request: the PaymentIntent exists although the client saw an error', async () => {
    await setFaults({ fraction: 1, answers: [{ status: 500, when: 'after-apply' }] });
    const error = await rejectionOf(createIntent('fault-500-after'));
    expect(error.statusCode).toBe(500);
    expect(error.type).toBe('StripeAPIError');
    expect(await appliedBefore('fault-500-after')).toBe(true);
  });

  it('fails a seeded fraction of requests, the same ones for the same seed', async () => {
    const outcomes = async () => {
      await setFaults({ fraction: 0.5, seed: 7, answers: [{ status: 500, when: 'before-apply' }] });
      const seen: string[] = [];
      // One after another: the draws follow the order in which requests arrive.
      for (let request = 0; request < 20; request += 1) {
        seen.push((await Promise.allSettled([createIntent()]))[0]?.status ?? 'none');
      }
      return seen;
    };
    const first = await outcomes();
    expect(first).toContain('fulfilled');
    expect(first).toContain('rejected');
    expect(await outcomes()).toEqual(first);
  });

  describe('timeouts', () => {
    /** The SDK as the payments feature configures it, with a shorter timeout and the given retries. */
    const impatient = (maxNetworkRetries: number) =>
      new Stripe(SECRET_KEY, {
        host: '127.0.0.1',
        port: fixture.sandbox.port,
        protocol: 'http',
        timeout: 300,
        maxNetworkRetries,
      });

    it('applies the request and never answers: the client times out not knowing it went through', async () => {
      await setFaults({ fraction: 1, answers: [{ status: 'timeout', when: 'after-apply' }] });
      const error = await rejectionOf(
        impatient(0).paymentIntents.create({ amount: 5000, currency: 'eur' }, { idempotencyKey: 'to-after' }),
      );
      expect(error.type).toBe('StripeConnectionError');
      expect(await appliedBefore('to-after')).toBe(true);
    });

    it('drops the connection unanswered after timeoutMs, without applying a before-apply timeout', async () => {
      await setFaults({
        fraction: 1,
        timeoutMs: 200,
        answers: [{ status: 'timeout', when: 'before-apply' }],
      });
      const started = Date.now();
      await expect(
        httpRequest(`${fixture.sandbox.url}/v1/payment_intents`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${SECRET_KEY}`,
            'Content-Type': 'application/x-www-form-urlencoded',
            'Idempotency-Key': 'to-before',
          },
          body: 'amount=5000&currency=eur',
        }),
      ).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(await appliedBefore('to-before')).toBe(false);
    });

    it('is survived by the SDK retrying with the same idempotency key: one PaymentIntent', async () => {
      await setFaults({ fraction: 1, answers: [{ status: 'timeout', when: 'after-apply' }] });
      const pending = impatient(1).paymentIntents.create(
        { amount: 5000, currency: 'eur' },
        { idempotencyKey: 'to-retried' },
      );
      // The retry comes after the first timeout; by then the sandbox answers again.
      await new Promise((resolve) => setTimeout(resolve, 150));
      await setFaults({ fraction: 0 });
      const created = await pending;
      expect(created.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(await fixture.stripe.paymentIntents.retrieve(created.id)).toMatchObject({ amount: 5000 });
    });
  });

  it('is off by default and refuses invalid settings with 400', async () => {
    const current = await httpRequest(`${fixture.sandbox.url}/_sandbox/faults`, { method: 'GET' });
    expect(JSON.parse(current.body)).toMatchObject({ fraction: 0 });
    await expect(createIntent()).resolves.toMatchObject({ object: 'payment_intent' });
    expect((await setFaults({ fraction: 2 })).status).toBe(400);
    expect((await setFaults({ fraction: 1, answers: [{ status: 429, when: 'after-apply' }] })).status).toBe(
      400,
    );
  });
});
