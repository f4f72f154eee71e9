import { type handleUnaryCall, type ServerUnaryCall, type StatusObject, status } from '@grpc/grpc-js';
import { PubSubError } from './errors';

/** The gRPC status for a failure; anything but a PubSubError is an emulator bug, reported as INTERNAL. */
export function toStatus(error: unknown): Partial<StatusObject> {
  if (error instanceof PubSubError) return { code: error.code, details: error.message };
  console.error('pubsub emulator: unexpected error', error);
  return { code: status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}

/** A unary handler from a function that returns the response or throws a PubSubError. */
export function unary<Request, Response>(
  handler: (request: Request, call: ServerUnaryCall<Request, Response>) => Promise<Response> | Response,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toStatus(error)),
      );
  };
}
