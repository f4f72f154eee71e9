import { RateLimiter, rateLimitKey } from '../../../shared/rate-limits/rate-limiter';
import { ManualClock, MemoryRateLimitStore } from './memory-rate-limit-store';

const limit = { requests: 2, windowSeconds: 60 };

function limiterWith(store: MemoryRateLimitStore, clock: ManualClock): RateLimiter {
  return new RateLimiter(async () => store, clock);
}

describe('RateLimiter', () => {
  it('lets calls through up to the limit and then says how long to wait', async () => {
    const clock = new ManualClock();
    const limiter = limiterWith(new MemoryRateLimitStore(), clock);
    expect(await limiter.take('book', 'user:a', limit)).toBeUndefined();
    clock.advance(15_000);
    expect(await limiter.take('book', 'user:a', limit)).toBeUndefined();
    expect(await limiter.take('book', 'user:a', limit)).toBe(45);
  });

  it('counts each function and subject apart', async () => {
    const limiter = limiterWith(new MemoryRateLimitStore(), new ManualClock());
    for (const [fn, subject] of [
      ['book', 'user:a'],
      ['book', 'user:a'],
      ['pay', 'user:a'],
      ['book', 'user:b'],
      ['book', 'address:192.0.2.1'],
    ] as const) {
      expect(await limiter.take(fn, subject, limit)).toBeUndefined();
    }
    expect(await limiter.take('book', 'user:a', limit)).toBe(60);
  });

  it('answers the rest of a refused window from memory, without asking the store', async () => {
    const store = new MemoryRateLimitStore();
    const clock = new ManualClock();
    const limiter = limiterWith(store, clock);
    await limiter.take('book', 'user:a', limit);
    await limiter.take('book', 'user:a', limit);
    expect(await limiter.take('book', 'user:a', limit)).toBe(60);
    const asked = store.calls;
    clock.advance(30_000);
    expect(await limiter.take('book', 'user:a', limit)).toBe(30);
    expect(store.calls).toBe(asked);
    clock.advance(30_000);
    expect(await limiter.take('book', 'user:a', limit)).toBeUndefined();
    expect(store.calls).toBe(asked + 1);
  });

  it('propagates store failures, for the caller to decide', async () => {
    const limiter = new RateLimiter(() => Promise.reject(new Error('unavailable')), new ManualClock());
    await expect(limiter.take('book', 'user:a', limit)).rejects.toThrow('unavailable');
  });
});

describe('rateLimitKey', () => {
  it('is a fixed-length digest that tells functions and subjects apart', () => {
    expect(rateLimitKey('book', 'user:a')).toMatch(/^[0-9a-f]{64}$/);
    expect(rateLimitKey('book', 'user:a/b')).toMatch(/^[0-9a-f]{64}$/);
    expect(rateLimitKey('book', 'user:a')).not.toBe(rateLimitKey('pay', 'user:a'));
    expect(rateLimitKey('book', 'user:a')).not.toBe(rateLimitKey('book', 'user:b'));
  });
});
