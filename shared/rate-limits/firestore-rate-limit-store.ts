import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { Clock } from '../bookings/clock';
import { storedTimestamp } from '../firebase/stored-timestamp';
import type { RateLimit } from './rate-limit-policy';
import type { RateLimitStore } from './rate-limiter';
import { decide, type RateLimitDecision } from './rate-limit-window';

/**
 * Rate limit windows, `rateLimits/{sha256(function, subject)}`: one document per user (or client address)
 * and function, so buyers never contend with each other. A Firestore TTL policy on `expiresAt` deletes
 * windows that have ended; code never relies on it, since a stored window that has ended is replaced.
 */
export const RATE_LIMIT_COLLECTION = 'rateLimits';

const windowDocument = z.object({
  windowStartsAt: storedTimestamp,
  count: z.int().min(1),
});

/** {@link RateLimitStore} counting in Firestore transactions, shared by every instance. */
export class FirestoreRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Firestore) {}

  /** Reads the window and refuses or counts the call in one transaction, so racing calls count exactly. */
  consume(key: string, limit: RateLimit, clock: Clock): Promise<RateLimitDecision> {
    const ref = this.db.collection(RATE_LIMIT_COLLECTION).doc(key);
    return this.db.runTransaction(async (tx) => {
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
    });
  }
}
