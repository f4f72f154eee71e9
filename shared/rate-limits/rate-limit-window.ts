import type { RateLimit } from './rate-limit-policy';

/** A subject's current window: when it opened and how many calls it has counted. */
export interface RateLimitWindow {
  readonly startsAt: Date;
  readonly count: number;
}

/** The verdict on one call: counted in `window`, or refused until the window ends. */
export type RateLimitDecision =
  | { readonly allowed: true; readonly window: RateLimitWindow; readonly endsAt: Date }
  | { readonly allowed: false; readonly endsAt: Date; readonly retryAfterSeconds: number };

/** When `window` closes under `limit`. */
export function windowEnd(window: RateLimitWindow, limit: RateLimit): Date {
  return new Date(window.startsAt.getTime() + limit.windowSeconds * 1000);
}

/** Whole seconds until `endsAt`, at least 1: what `Retry-After` says. */
export function retryAfterSeconds(endsAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000));
}

/**
 * Counts one call at `now` against the subject's `current` window. A window opens at the first call after
 * the previous one closed (not on clock boundaries), so a burst cannot straddle two aligned windows, and a
 * refused call counts nothing: waiting out `Retry-After` always helps.
 */
export function decide(current: RateLimitWindow | undefined, limit: RateLimit, now: Date): RateLimitDecision {
  if (current === undefined || windowEnd(current, limit) <= now) {
    const window = { startsAt: now, count: 1 };
    return { allowed: true, window, endsAt: windowEnd(window, limit) };
  }
  const endsAt = windowEnd(current, limit);
  if (current.count < limit.requests) {
    return { allowed: true, window: { startsAt: current.startsAt, count: current.count + 1 }, endsAt };
  }
  return { allowed: false, endsAt, retryAfterSeconds: retryAfterSeconds(endsAt, now) };
}
