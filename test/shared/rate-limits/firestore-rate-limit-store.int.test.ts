import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import {
  FirestoreRateLimitStore,
  RATE_LIMIT_COLLECTION,
} from '../../../shared/rate-limits/firestore-rate-limit-store';
import { adminFirestore } from '../../support/firestore-admin';
import { ManualClock } from './memory-rate-limit-store';

const store = new FirestoreRateLimitStore(adminFirestore());
const limit = { requests: 5, windowSeconds: 60 };

describe('FirestoreRateLimitStore', () => {
  it('counts racing calls exactly: of 12 at once, 5 pass and 7 are refused', async () => {
    const key = randomUUID();
    const clock = new ManualClock();
    const decisions = await Promise.all(Array.from({ length: 12 }, () => store.consume(key, limit, clock)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
    expect(decisions.filter((decision) => !decision.allowed)).toHaveLength(7);
    const stored = (await adminFirestore().collection(RATE_LIMIT_COLLECTION).doc(key).get()).data();
    expect(stored).toEqual({
      windowStartsAt: Timestamp.fromDate(clock.now()),
      count: 5,
      expiresAt: Timestamp.fromDate(new Date(clock.now().getTime() + 60_000)),
    });
  }, 60_000);

  it('refuses until the window ends, then opens a new one that the TTL field follows', async () => {
    const key = randomUUID();
    const clock = new ManualClock();
    const one = { requests: 1, windowSeconds: 60 };
    expect((await store.consume(key, one, clock)).allowed).toBe(true);
    clock.advance(45_500);
    expect(await store.consume(key, one, clock)).toMatchObject({ allowed: false, retryAfterSeconds: 15 });
    clock.advance(14_500);
    expect(await store.consume(key, one, clock)).toMatchObject({ allowed: true, window: { count: 1 } });
    const stored = (await adminFirestore().collection(RATE_LIMIT_COLLECTION).doc(key).get()).data();
    expect(stored?.['expiresAt']).toEqual(Timestamp.fromDate(new Date(clock.now().getTime() + 60_000)));
  });
});
