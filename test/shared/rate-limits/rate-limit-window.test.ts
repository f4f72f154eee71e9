import { decide, retryAfterSeconds, windowEnd } from '../../../shared/rate-limits/rate-limit-window';

const limit = { requests: 3, windowSeconds: 60 };
const t0 = new Date('2027-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('decide', () => {
  it('opens a window at the first call', () => {
    expect(decide(undefined, limit, t0)).toEqual({
      allowed: true,
      window: { startsAt: t0, count: 1 },
      endsAt: at(60_000),
    });
  });

  it('counts calls up to the limit inside the window, then refuses until it ends', () => {
    const window = { startsAt: t0, count: 2 };
    expect(decide(window, limit, at(59_000))).toMatchObject({
      allowed: true,
      window: { startsAt: t0, count: 3 },
    });
    expect(decide({ startsAt: t0, count: 3 }, limit, at(20_000))).toEqual({
      allowed: false,
      endsAt: at(60_000),
      retryAfterSeconds: 40,
    });
  });

  it('opens a new window at the first call after the last one ended, not on a clock boundary', () => {
    const full = { startsAt: t0, count: 3 };
    expect(decide(full, limit, at(60_000))).toEqual({
      allowed: true,
      window: { startsAt: at(60_000), count: 1 },
      endsAt: at(120_000),
    });
    expect(decide(full, limit, at(95_500))).toMatchObject({ window: { startsAt: at(95_500), count: 1 } });
  });

  it('measures a stored window with the limit in force, so a shorter window applies at once', () => {
    const full = { startsAt: t0, count: 3 };
    expect(decide(full, { requests: 3, windowSeconds: 10 }, at(10_000)).allowed).toBe(true);
    expect(decide(full, { requests: 5, windowSeconds: 60 }, at(1_000)).allowed).toBe(true);
  });
});

describe('retryAfterSeconds', () => {
  it('rounds up to whole seconds and never says 0', () => {
    expect(retryAfterSeconds(at(60_000), at(20_000))).toBe(40);
    expect(retryAfterSeconds(at(60_000), at(59_999))).toBe(1);
    expect(retryAfterSeconds(at(60_000), at(58_001))).toBe(2);
    expect(retryAfterSeconds(at(60_000), at(61_000))).toBe(1);
  });
});

describe('windowEnd', () => {
  it('is the start plus the window length', () => {
    expect(windowEnd({ startsAt: t0, count: 1 }, limit)).toEqual(at(60_000));
  });
});
