import middy from '@middy/core';
import type { IdentityVerifier } from '../../../shared/auth/identity-verifier';
import { AuthenticationError } from '../../../shared/errors/domain-errors';
import type { HttpEvent, HttpResult } from '../../../shared/http/http-types';
import { authenticate } from '../../../shared/http/middleware/authenticate';
import { problemResponses } from '../../../shared/http/middleware/problem-responses';
import { rateLimit } from '../../../shared/http/middleware/rate-limit';
import { logger } from '../../../shared/logging/logger';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from '../../../shared/rate-limits/rate-limit-policy';
import { RateLimiter } from '../../../shared/rate-limits/rate-limiter';
import { ManualClock, MemoryRateLimitStore } from '../rate-limits/memory-rate-limit-store';
import { fakeRequest } from './fake-request';

/** `user-*` tokens are registered users, `signed-in-*` ones are not registered, anything else is forged. */
const verifier: IdentityVerifier = {
  verify: async (token) => {
    const role = token.startsWith('user-') ? 'user' : undefined;
    if (role === undefined && !token.startsWith('signed-in-')) throw new AuthenticationError('forged');
    return { uid: token, email: undefined, emailVerified: false, role, companyId: undefined };
  },
};

const settings: RateLimitSettings = {
  perUser: { ...DEFAULT_RATE_LIMITS.perUser, book: { requests: 2, windowSeconds: 60 } },
  perAddress: { requests: 1, windowSeconds: 30 },
};

function bookPipeline(store: RateLimiterStoreLike, clock = new ManualClock()) {
  const limiter = new RateLimiter(store, clock);
  let handled = 0;
  const handler = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(problemResponses())
    .use(authenticate('user', verifier, { holdsRole: async () => true }, { isClosing: async () => false }))
    .use(rateLimit('book', { settings: () => settings, limiter: () => limiter }))
    .handler(async () => {
      handled += 1;
      return { status: 201, body: {} };
    });
  const call = (headers: Record<string, string>, address?: string) =>
    handler({ req: fakeRequest('POST', headers, address) }, {});
  return { call, handled: () => handled };
}

type RateLimiterStoreLike = ConstructorParameters<typeof RateLimiter>[0];

const memory =
  (store = new MemoryRateLimitStore()): RateLimiterStoreLike =>
  async () =>
    store;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('rateLimit middleware', () => {
  it('counts a verified caller per user and answers 429 with Retry-After before the handler runs', async () => {
    const { call, handled } = bookPipeline(memory());
    expect((await call(bearer('user-a'))).status).toBe(201);
    expect((await call(bearer('user-a'))).status).toBe(201);
    const refused = await call(bearer('user-a'));
    expect(refused).toMatchObject({
      status: 429,
      headers: { 'Retry-After': '60' },
      body: { type: 'https://errors.event-manager.dev/rate-limited', status: 429 },
    });
    expect(handled()).toBe(2);
    expect((await call(bearer('user-b'))).status).toBe(201);
  });

  it('counts refused credentials per client address; once over, they answer 429 instead of 401', async () => {
    const { call } = bookPipeline(memory());
    expect((await call(bearer('forged'), '203.0.113.1')).status).toBe(401);
    const refused = await call(bearer('forged'), '203.0.113.1');
    expect(refused).toMatchObject({ status: 429, headers: { 'Retry-After': '30' } });
    expect((await call(bearer('signed-in-x'), '203.0.113.1')).status).toBe(429);
    expect((await call(bearer('forged'), '203.0.113.2')).status).toBe(401);
    expect((await call(bearer('signed-in-x'), '203.0.113.3')).status).toBe(403);
  });

  it('never limits a verified user by address, nor counts calls that send no credentials', async () => {
    const store = new MemoryRateLimitStore();
    const { call } = bookPipeline(memory(store));
    await call(bearer('forged'), '203.0.113.1');
    expect((await call(bearer('forged'), '203.0.113.1')).status).toBe(429);
    expect((await call(bearer('user-a'), '203.0.113.1')).status).toBe(201);
    const asked = store.calls;
    for (let i = 0; i < 3; i += 1) expect((await call({}, '203.0.113.9')).status).toBe(401);
    expect(store.calls).toBe(asked);
  });

  it('fails closed when the store cannot be reached: 503 with Retry-After, logged; a refused credential keeps its 401', async () => {
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      const { call, handled } = bookPipeline(() => Promise.reject(new Error('Firestore unavailable')));
      expect(await call(bearer('user-a'))).toMatchObject({
        status: 503,
        headers: { 'Retry-After': '5' },
        body: { type: 'https://errors.event-manager.dev/unavailable', status: 503 },
      });
      expect((await call(bearer('forged'))).status).toBe(401);
      expect(handled()).toBe(0);
      expect(error).toHaveBeenCalledWith('rate limit could not be checked, call refused', {
        err: expect.objectContaining({ message: 'Firestore unavailable' }),
      });
      expect(warn).toHaveBeenCalledWith('rate limit could not count a refused credential', {
        err: expect.objectContaining({ message: 'Firestore unavailable' }),
      });
    } finally {
      error.mockRestore();
      warn.mockRestore();
    }
  });
});
