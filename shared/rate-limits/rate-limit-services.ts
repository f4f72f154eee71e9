import { firestore } from '../firebase/firestore';
import { FirestoreRateLimitStore } from './firestore-rate-limit-store';
import type { RateLimitStore } from './rate-limiter';

let store: RateLimitStore | undefined;

/** The rate limit store wired to Firestore, built on first use. */
export function rateLimitStore(): RateLimitStore {
  store ??= new FirestoreRateLimitStore(firestore());
  return store;
}
