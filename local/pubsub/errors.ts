import { status } from '@grpc/grpc-js';

/** A failure that is reported to the client as a gRPC status, the way Pub/Sub reports it. */
export class PubSubError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'PubSubError';
  }
}

/** The request itself is malformed or breaks a documented limit. */
export function invalidArgument(message: string): PubSubError {
  return new PubSubError(status.INVALID_ARGUMENT, message);
}

/** Pub/Sub's wording, naming the resource by its id. */
export function notFound(id: string): PubSubError {
  return new PubSubError(status.NOT_FOUND, `Resource not found (resource=${id}).`);
}

/** Pub/Sub's wording, naming the resource by its id. */
export function alreadyExists(id: string): PubSubError {
  return new PubSubError(status.ALREADY_EXISTS, `Resource already exists in the project (resource=${id}).`);
}

/** A real Pub/Sub feature this emulator does not model: failing loudly beats silently behaving differently. */
export function unsupported(feature: string): PubSubError {
  return new PubSubError(status.UNIMPLEMENTED, `The local Pub/Sub emulator does not support ${feature}.`);
}
