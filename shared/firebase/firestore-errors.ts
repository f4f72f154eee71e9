/** gRPC status codes Firestore reports that the services react to. */
const ALREADY_EXISTS = 6;

/** True when a write failed because its `create` precondition found the document already there. */
export function isAlreadyExists(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === ALREADY_EXISTS;
}
