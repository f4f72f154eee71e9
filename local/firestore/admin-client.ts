import { callAdminMethod } from '../grpc/admin-call';
import { loadAdminService } from './proto';
import type { ResetRequest } from './wire';

/**
 * Wipes a running emulator (possibly in another process) through its EmulatorAdmin service: all databases,
 * or only `database` (`projects/{project}/databases/{database}`). Open transactions are aborted.
 */
export function resetFirestoreEmulator(address: string, database?: string): Promise<void> {
  return callAdminMethod<ResetRequest>(address, loadAdminService(), 'Reset', { database: database ?? '' });
}
