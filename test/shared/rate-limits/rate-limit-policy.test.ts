import {
  DEFAULT_RATE_LIMITS,
  isRateLimited,
  perAddressLimitVariable,
  perUserLimitsVariable,
  RATE_LIMITED_FUNCTIONS,
  rateLimitSettings,
} from '../../../shared/rate-limits/rate-limit-policy';
import { functionRegistry } from '../../../functions/index';

describe('rate limit settings', () => {
  it('limit only functions that exist, each of them a public write', () => {
    const registered = new Map(functionRegistry.map((fn) => [fn.name, fn]));
    for (const name of RATE_LIMITED_FUNCTIONS) {
      expect(registered.get(name)).toMatchObject({ visibility: 'public', http: { method: 'POST' } });
    }
  });

  it('default to limits no real buyer meets', () => {
    for (const name of RATE_LIMITED_FUNCTIONS) {
      expect(DEFAULT_RATE_LIMITS.perUser[name].requests).toBeGreaterThanOrEqual(5);
      expect(DEFAULT_RATE_LIMITS.perUser[name].windowSeconds).toBe(60);
    }
    expect(DEFAULT_RATE_LIMITS.perUser.book.requests).toBe(20);
  });

  it('replace only the entries that are configured', () => {
    const book = { requests: 2, windowSeconds: 10 };
    const perAddress = { requests: 1, windowSeconds: 5 };
    expect(rateLimitSettings({ book }, perAddress)).toEqual({
      perUser: { ...DEFAULT_RATE_LIMITS.perUser, book },
      perAddress,
    });
    expect(rateLimitSettings(undefined, undefined)).toEqual(DEFAULT_RATE_LIMITS);
  });

  it('tell limited functions from the others', () => {
    expect(isRateLimited('book')).toBe(true);
    expect(isRateLimited('getEvent')).toBe(false);
  });
});

describe('RATE_LIMITS and RATE_LIMIT_PER_IP', () => {
  it('parse JSON limits', () => {
    expect(perUserLimitsVariable.parse('{"book":{"requests":30,"windowSeconds":60}}')).toEqual({
      book: { requests: 30, windowSeconds: 60 },
    });
    expect(perAddressLimitVariable.parse('{"requests":10,"windowSeconds":1}')).toEqual({
      requests: 10,
      windowSeconds: 1,
    });
  });

  it.each([
    ['not JSON', '{book:1}'],
    ['an unknown function', '{"bok":{"requests":1,"windowSeconds":60}}'],
    ['a function without a limit', '{"getEvent":{"requests":1,"windowSeconds":60}}'],
    ['zero requests', '{"book":{"requests":0,"windowSeconds":60}}'],
    ['a fractional window', '{"book":{"requests":1,"windowSeconds":1.5}}'],
    ['an unknown field', '{"book":{"requests":1,"windowSeconds":60,"burst":2}}'],
    ['a missing field', '{"book":{"requests":1}}'],
  ])('refuse %s', (_, text) => {
    expect(perUserLimitsVariable.safeParse(text).success).toBe(false);
  });
});
