/** gRPC status codes Firestore reports that the services react to. */
const ALREADY_EXISTS = 6;
const ABORTED = 10;

/**
 * The codes on which the Firestore SDK runs a transaction again (its `isRetryableTransactionError`):
 * CANCELLED, UNKNOWN, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE, UNAUTHENTICATED.
 * Apart from ABORTED, the attempt's commit may have landed.
 */
const RETRIED_TRANSACTION_CODES: ReadonlySet<number> = new Set([1, 2, 4, 8, 10, 13, 14, 16]);
const INVALID_ARGUMENT = 3;

function hasCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

/** True when a write failed because its `create` precondition found the document already there. */
export function isAlreadyExists(error: unknown): boolean {
  return hasCode(error, ALREADY_EXISTS);
}

/** True when a transaction lost a lock conflict (ABORTED): it certainly did not commit. */
export function isLostConflict(error: unknown): boolean {
  return hasCode(error, ABORTED);
}

/**
 * True when the SDK itself would run a failed transaction again: a lost conflict, a transient or ambiguous
 * failure (the commit may have landed), or an expired transaction (`INVALID_ARGUMENT` naming it, which is
 * what a Commit retried after it landed gets). Only a transaction that is safe to run twice may be retried
 * on these (docs/inventory.md, Ambiguous commits).
 */
export function isRetriedTransactionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error) || typeof error.code !== 'number') {
    return false;
  }
  if (error.code === INVALID_ARGUMENT) {
    return error instanceof Error && /transaction has expired/.test(error.message);
  }
  return RETRIED_TRANSACTION_CODES.has(error.code);
}
