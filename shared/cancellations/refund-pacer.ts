/**
 * Spaces requests to at most `perSecond` on average with bursts of at most `burst` (the generic cell rate
 * algorithm: a token bucket kept as one number, the theoretical time of the next request). Pure: it says
 * how long the caller must wait; the caller sleeps.
 */
export class RefundPacer {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private nextAtMs = Number.NEGATIVE_INFINITY;

  constructor(perSecond: number, burst: number) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new Error('A pacer needs a positive rate and a burst of 1+');
    this.intervalMs = 1000 / perSecond;
    this.toleranceMs = (burst - 1) * this.intervalMs;
  }

  /** Claims the next slot at `nowMs` and returns how many milliseconds to wait before using it. */
  claim(nowMs: number): number {
    const at = Math.max(this.nextAtMs, nowMs);
    this.nextAtMs = at + this.intervalMs;
    return Math.max(0, at - this.toleranceMs - nowMs);
  }
}

/** How long to wait before the `attempt`th retry (1-based) after a 429: doubling from 250 ms, at most 8 s. */
export function rateLimitBackoffMs(attempt: number): number {
  return Math.min(8000, 250 * 2 ** (attempt - 1));
}
