import type { Clock } from '../../../shared/time/clock';
import type { RateLimit } from '../../../shared/rate-limits/rate-limit-policy';
import type { RateLimitStore } from '../../../shared/rate-limits/rate-limiter';
import {
  decide,
  type RateLimitDecision,
  type RateLimitWindow,
} from '../../../shared/rate-limits/rate-limit-window';

/** A {@link RateLimitStore} in a map, counting its calls, for tests of what sits on top of the store. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly windows = new Map<string, RateLimitWindow>();
  calls = 0;

  async consume(key: string, limit: RateLimit, clock: Clock): Promise<RateLimitDecision> {
    this.calls += 1;
    const decision = decide(this.windows.get(key), limit, clock.now());
    if (decision.allowed) this.windows.set(key, decision.window);
    return decision;
  }
}

/** A clock that moves only when told. */
export class ManualClock implements Clock {
  constructor(private time = new Date('2027-03-01T10:00:00.000Z')) {}

  now(): Date {
    return this.time;
  }

  advance(ms: number): void {
    this.time = new Date(this.time.getTime() + ms);
  }
}
