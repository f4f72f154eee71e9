import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { Clock } from '../time/clock';
import { isLostConflict } from '../firebase/firestore-errors';
import { storedTimestamp } from '../firebase/stored-timestamp';
import type { RateLimit } from './rate-limit-policy';
import type { RateLimitStore } from './rate-limiter';
import { decide, retryAfterSeconds, type RateLimitDecision } from './rate-limit-window';

/**
 * Rate limit windows, `rateLimits/{sha256(function, subject)}`: one document per user (or client address)
 * and function, so buyers never contend with each other. A Firestore TTL policy on `expiresAt` deletes
 * windows that have ended; code never relies on it, since a stored window that has ended is replaced.
 */
export const RATE_LIMIT_COLLECTION = 'rateLimits';

/**
 * SDK attempts of one count. A counter is one caller's own document, so it is contended only when that
 * caller floods: a few attempts absorb a double tap, and the flood is refused soon instead of waiting out
 * the SDK's growing backoff.
 */
const COUNT_ATTEMPTS = 3;

/** How soon a call refused because its count lost to contention may try again. */
const CONTENDED_RETRY_AFTER_MS = 1_000;

const windowDocument = z.object({
  windowStartsAt: storedTimestamp,
  count: z.int().min(1),
});

/** {@link RateLimitStore} counting in Firestore transactions, shared by every instance. */
export class FirestoreRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Firestore) {}

  /**
   * Reads the window and refuses or counts the call in one transaction, so racing calls count exactly. A
   * call that cannot be counted because its transaction keeps losing lock conflicts is refused for a
   * second: a limit that cannot count does not admit (decision 126). Other failures propagate.
   */
  async consume(key: string, limit: RateLimit, clock: Clock): Promise<RateLimitDecision> {
    try {
      return await this.count(key, limit, clock);
    } catch (error) {
      if (!isLostConflict(error)) throw error;
      const now = clock.now();
      const endsAt = new Date(now.getTime() + CONTENDED_RETRY_AFTER_MS);
      return { allowed: false, endsAt, retryAfterSeconds: retryAfterSeconds(endsAt, now) };
    }
  }

  private count(key: string, limit: RateLimit, clock: Clock): Promise<RateLimitDecision> {
    const ref = this.db.collection(RATE_LIMIT_COLLECTION).doc(key);
    return this.db.runTransaction(
      async (tx) => {
        const data = (await tx.get(ref)).data();
        const stored = data === undefined ? undefined : windowDocument.parse(data);
        const current = stored && { startsAt: stored.windowStartsAt, count: stored.count };
        const decision = decide(current, limit, clock.now());
        if (decision.allowed) {
          tx.set(ref, {
            windowStartsAt: Timestamp.fromDate(decision.window.startsAt),
            count: decision.window.count,
            expiresAt: Timestamp.fromDate(decision.endsAt),
          });
        }
        return decision;
      },
      { maxAttempts: COUNT_ATTEMPTS },
    );
  }
}
