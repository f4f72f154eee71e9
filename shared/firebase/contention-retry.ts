import { setTimeout as sleep } from 'node:timers/promises';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { RateLimitedError } from '../errors/domain-errors';
import { isLostConflict, isRetriedTransactionFailure } from './firestore-errors';
import { logger } from '../logging/logger';

/** How to retry a transaction that loses lock conflicts. */
export interface ContentionRetryPolicy {
  /** Single attempts first, each after a short random pause: a booking may move to another shard. */
  readonly quickAttempts: number;
  readonly maxQuickPauseMs: number;
  /** Then one run of the SDK's own retries (it backs off about 1 s, 1.5 s, 2.25 s… between attempts). */
  readonly patientAttempts: number;
}

/**
 * For transactions that meet another one now and then (a cancellation and a payment on one booking, two
 * doors scanning one ticket): a quick attempt answers the rare lost conflict in milliseconds where the
 * SDK's backoff waits a second or more. They start young each time, so they are few; the patient attempts
 * then let the SDK retry with `retry_transaction`, which keeps the lock priority (age) of the first attempt,
 * so an unlucky transaction becomes the oldest and wins instead of starving. All of it stays well inside the
 * function timeout. A crowd on the same documents wants {@link SDK_RETRIES_ONLY} instead.
 */
export const DEFAULT_CONTENTION_RETRY: ContentionRetryPolicy = {
  quickAttempts: 4,
  maxQuickPauseMs: 40,
  patientAttempts: 5,
};

/**
 * The SDK's retries alone, for transactions that many callers run against the same few documents at once
 * (bookings of a hot on-sale): an attempt retried at once meets the same crowd again, while the SDK's
 * backoff spreads the losers out and its `retry_transaction` lets the oldest win. Each attempt of a booking
 * reads another shard first. In bench:flash this doubled the sharded sale's throughput against quick
 * attempts (165 against 85 bookings/s, client CPU 6.7 against 16 ms per booking; docs/inventory.md).
 */
export const SDK_RETRIES_ONLY: ContentionRetryPolicy = {
  quickAttempts: 0,
  maxQuickPauseMs: 0,
  patientAttempts: 5,
};

/** Two ways to run the same transaction. */
export interface TransactionRuns<T> {
  /** One attempt, without the SDK's retries. */
  quick(): Promise<T>;
  /** One run with up to `sdkAttempts` SDK attempts. */
  patient(sdkAttempts: number): Promise<T>;
}

/**
 * Runs a transaction until it does not lose a lock conflict: quick attempts first, then one patient run.
 * Contention is the normal state of a hot on-sale, not an infrastructure fault: when even the retries are
 * exhausted the caller is asked to retry shortly (429 with `Retry-After`), never answered 5xx.
 *
 * A quick attempt is also repeated after any other failure the SDK would retry itself (UNAVAILABLE,
 * DEADLINE_EXCEEDED, INTERNAL, an expired transaction…), as the patient run's SDK retries do: such a commit
 * may have landed, so every transaction run here must find its own earlier commit and answer as it did
 * (docs/inventory.md, Ambiguous commits). Those failures, when they outlast the retries, and all others
 * propagate unchanged.
 */
export async function withContentionRetry<T>(
  runs: TransactionRuns<T>,
  policy: ContentionRetryPolicy = DEFAULT_CONTENTION_RETRY,
): Promise<T> {
  for (let quick = 0; quick < policy.quickAttempts; quick += 1) {
    try {
      return await runs.quick();
    } catch (error) {
      if (!isRetriedTransactionFailure(error)) throw error;
      await sleep(Math.random() * policy.maxQuickPauseMs);
    }
  }
  try {
    return await runs.patient(policy.patientAttempts);
  } catch (error) {
    if (!isLostConflict(error)) throw error;
    logger.warn('transaction gave up after repeated contention', { err: error });
    throw new RateLimitedError(
      'Too many requests are changing the same data right now; retry in a moment.',
      1,
    );
  }
}

/** A read-write transaction run with {@link withContentionRetry}. */
export function runTransactionWithRetry<T>(
  db: Firestore,
  work: (tx: Transaction) => Promise<T>,
  policy: ContentionRetryPolicy = DEFAULT_CONTENTION_RETRY,
): Promise<T> {
  return withContentionRetry(
    {
      quick: () => db.runTransaction(work, { maxAttempts: 1 }),
      patient: (maxAttempts) => db.runTransaction(work, { maxAttempts }),
    },
    policy,
  );
}
