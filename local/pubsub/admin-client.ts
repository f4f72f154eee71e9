import { callAdminMethod } from '../grpc/admin-call';
import { loadAdminService } from './proto';
import type { ResetPubSubRequest } from './wire';

/**
 * Wipes a running emulator (possibly in another process) through its PubSubAdmin service: every project, or
 * only `project` (a project id). Open pulls and streams of the deleted subscriptions end with NOT_FOUND.
 */
export function resetPubSubEmulator(address: string, project?: string): Promise<void> {
  return callAdminMethod<ResetPubSubRequest>(address, loadAdminService(), 'Reset', {
    project: project ? `projects/${project}` : '',
  });
}
