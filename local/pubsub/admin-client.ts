import { Client, credentials } from '@grpc/grpc-js';
import { loadAdminService } from './proto';
import type { ResetPubSubRequest } from './wire';

/**
 * Wipes a running emulator (possibly in another process) through its PubSubAdmin service: every project, or
 * only `project` (a project id). Open pulls and streams of the deleted subscriptions end with NOT_FOUND.
 */
export function resetPubSubEmulator(address: string, project?: string): Promise<void> {
  const reset = loadAdminService().Reset;
  if (!reset) throw new Error('PubSubAdmin.Reset is missing from admin.proto');
  const client = new Client(address, credentials.createInsecure());
  const request: ResetPubSubRequest = { project: project ? `projects/${project}` : '' };
  return new Promise<void>((resolve, reject) => {
    client.makeUnaryRequest(
      reset.path,
      (message: ResetPubSubRequest) => reset.requestSerialize(message),
      (bytes: Buffer) => reset.responseDeserialize(bytes),
      request,
      (error) => (error ? reject(error) : resolve()),
    );
  }).finally(() => client.close());
}
