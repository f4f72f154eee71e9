import { type StatusObject, status } from '@grpc/grpc-js';

/** A failure that is reported to the client as a gRPC status, the way Firestore reports it. */
export class FirestoreError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'FirestoreError';
  }
}

/** Firestore's wording for lock conflicts: the SDKs retry ABORTED transactions. */
const CONTENTION_MESSAGE = 'Too much contention on these documents. Please try again.';

/** Firestore's wording for unknown, finished and expired transaction ids (the SDK matches "transaction has expired"). */
const EXPIRED_TRANSACTION_MESSAGE = 'The referenced transaction has expired or is no longer valid.';

/** The request itself is malformed. */
export function invalidArgument(message: string): FirestoreError {
  return new FirestoreError(status.INVALID_ARGUMENT, message);
}

/** Lost a lock conflict; the client should retry the transaction. */
export function contention(): FirestoreError {
  return new FirestoreError(status.ABORTED, CONTENTION_MESSAGE);
}

/** The transaction id is unknown, finished or expired. */
export function expiredTransaction(): FirestoreError {
  return new FirestoreError(status.INVALID_ARGUMENT, EXPIRED_TRANSACTION_MESSAGE);
}

/** The status a failed request reports: a FirestoreError's own, INTERNAL (and a log line) for anything else. */
export function toStatus(error: unknown): Partial<StatusObject> {
  if (error instanceof FirestoreError) return { code: error.code, details: error.message };
  console.error('firestore emulator: unexpected error', error);
  return { code: status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}
