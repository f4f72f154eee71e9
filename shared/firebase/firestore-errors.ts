/** gRPC status codes Firestore reports that the services react to. */
const ALREADY_EXISTS = 6;
const ABORTED = 10;

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
