import { httpRequest } from '../../../local/stripe/http-client';
import { rejectionOf, useStripeSandbox } from './sandbox-fixture';

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
