import { Client, credentials } from '@grpc/grpc-js';
import { loadAdminService } from './proto';
import type { ResetRequest } from './wire';

/**
 * Wipes a running emulator (possibly in another process) through its EmulatorAdmin service: all databases,
 * or only `database` (`projects/{project}/databases/{database}`). Open transactions are aborted.
 */
export function resetFirestoreEmulator(address: string, database?: string): Promise<void> {
  const reset = loadAdminService().Reset;
  if (!reset) throw new Error('EmulatorAdmin.Reset is missing from admin.proto');
  const client = new Client(address, credentials.createInsecure());
  const request: ResetRequest = { database: database ?? '' };
  return new Promise<void>((resolve, reject) => {
    client.makeUnaryRequest(
      reset.path,
      (message: ResetRequest) => reset.requestSerialize(message),
      (bytes: Buffer) => reset.responseDeserialize(bytes),
      request,
      (error) => (error ? reject(error) : resolve()),
    );
  }).finally(() => client.close());
}
