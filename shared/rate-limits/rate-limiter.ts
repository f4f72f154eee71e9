import { createHash } from 'node:crypto';
import type { Clock } from '../time/clock';
import type { RateLimit } from './rate-limit-policy';
import { retryAfterSeconds, type RateLimitDecision } from './rate-limit-window';

/** Where windows are counted: shared by every instance, so a limit holds across all of them. */
export interface RateLimitStore {
  /** Counts one call against the window stored under `key`, atomically, deciding with `clock`'s time. */
  consume(key: string, limit: RateLimit, clock: Clock): Promise<RateLimitDecision>;
}

/** Refusals remembered per instance; beyond this, the oldest is forgotten (and asked for again). */
const REMEMBERED_REFUSALS = 10_000;

/**
 * Counter document id of a subject's calls to a function: a digest, so that ids stay short and valid
 * whatever a uid holds, spread over the key space, and no client address is stored in the clear.
 */
export function rateLimitKey(functionName: string, subject: string): string {
  return createHash('sha256').update(`${functionName}\n${subject}`).digest('hex');
}

/**
 * Applies rate limits through a shared {@link RateLimitStore}. A window that refused a call refuses every
 * later call until it ends (refused calls count nothing and windows never shrink), so the instance
 * remembers the refusal and answers the rest of a flood without a Firestore transaction each.
 */
export class RateLimiter {
  private readonly refusedUntil = new Map<string, number>();

  constructor(
    private readonly store: () => Promise<RateLimitStore>,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts one call of `subject` to `functionName` under `limit`.
   *
   * @returns undefined when the call may proceed, else the seconds until the subject's window ends.
   */
  async take(functionName: string, subject: string, limit: RateLimit): Promise<number | undefined> {
    const key = rateLimitKey(functionName, subject);
    const now = this.clock.now();
    const until = this.refusedUntil.get(key);
    if (until !== undefined && until > now.getTime()) return retryAfterSeconds(new Date(until), now);
    this.refusedUntil.delete(key);
    const decision = await (await this.store()).consume(key, limit, this.clock);
    if (decision.allowed) return undefined;
    this.remember(key, decision.endsAt);
    return decision.retryAfterSeconds;
  }

  private remember(key: string, endsAt: Date): void {
    if (this.refusedUntil.size >= REMEMBERED_REFUSALS) {
      const oldest = this.refusedUntil.keys().next();
      if (oldest.done !== true) this.refusedUntil.delete(oldest.value);
    }
    this.refusedUntil.set(key, endsAt.getTime());
  }
}
