import { Client, credentials } from '@grpc/grpc-js';
import type { ServiceDefinition } from '@grpc/proto-loader';

/**
 * Calls the unary method `method` of an emulator's admin service at `address` (possibly in another
 * process), so tests can reset an emulator they did not start.
 */
export function callAdminMethod<TRequest extends object>(
  address: string,
  service: ServiceDefinition,
  method: string,
  request: TRequest,
): Promise<void> {
  return callAdminMethodFor(address, service, method, request).then(() => undefined);
}

/** {@link callAdminMethod} for a method whose answer the caller reads: decoded, for the caller to check. */
export function callAdminMethodFor<TRequest extends object>(
  address: string,
  service: ServiceDefinition,
  method: string,
  request: TRequest,
): Promise<unknown> {
  const definition = service[method];
  if (!definition) throw new Error(`The admin service has no method ${method}`);
  const client = new Client(address, credentials.createInsecure());
  return new Promise<unknown>((resolve, reject) => {
    client.makeUnaryRequest(
      definition.path,
      (message: TRequest) => definition.requestSerialize(message),
      (bytes: Buffer): unknown => definition.responseDeserialize(bytes),
      request,
      (error, response) => (error ? reject(error) : resolve(response)),
    );
  }).finally(() => client.close());
}
