import { endpointOf, SandboxRateLimiter } from '../../../local/stripe/rate-limit';

describe('SandboxRateLimiter', () => {
  it('answers 429 rate_limit past the per-endpoint limit within one second, and not in the next', () => {
    const limiter = new SandboxRateLimiter();
    limiter.configure({ requestsPerSecond: 100, perEndpointPerSecond: 2 });
    const refunds = endpointOf('POST', '/v1/refunds');
    expect(limiter.check(refunds, 1000)).toBeUndefined();
    expect(limiter.check(refunds, 1500)).toBeUndefined();
    const refused = limiter.check(refunds, 1999);
    expect(refused?.status).toBe(429);
    expect(refused?.body.code).toBe('rate_limit');
    expect(limiter.check(endpointOf('GET', '/v1/payment_intents/pi_123'), 1999)).toBeUndefined();
    expect(limiter.check(refunds, 2000)).toBeUndefined();
    expect(limiter.current().refused).toBe(1);
  });

  it('applies the overall limit across endpoints, and nothing when off', () => {
    const limiter = new SandboxRateLimiter();
    expect(limiter.check('POST /v1/refunds', 0)).toBeUndefined();
    limiter.configure({ requestsPerSecond: 1, perEndpointPerSecond: null });
    expect(limiter.check('POST /v1/refunds', 5000)).toBeUndefined();
    expect(limiter.check('GET /v1/charges/:id', 5001)?.status).toBe(429);
  });

  it('names an endpoint without its ids', () => {
    expect(endpointOf('POST', '/v1/payment_intents/pi_3Abc/confirm')).toBe(
      'POST /v1/payment_intents/:id/confirm',
    );
  });
});
