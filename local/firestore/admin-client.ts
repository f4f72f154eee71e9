import { callAdminMethod } from '../grpc/admin-call';
import { loadAdminService } from './proto';
import type { CommitFault } from './faults';
import type { ResetRequest, SetCommitFaultsRequest } from './wire';

/**
 * Wipes a running emulator (possibly in another process) through its EmulatorAdmin service: all databases,
 * or only `database` (`projects/{project}/databases/{database}`). Open transactions are aborted.
 */
export function resetFirestoreEmulator(address: string, database?: string): Promise<void> {
  return callAdminMethod<ResetRequest>(address, loadAdminService(), 'Reset', { database: database ?? '' });
}

/**
 * Replaces the Commit failures a running emulator injects for `scope` (docs/local-firestore-emulator.md,
 * Fault injection); an empty list removes them. Faults of other scopes stay.
 */
export function setFirestoreCommitFaults(
  address: string,
  faults: readonly CommitFault[],
  scope = '',
): Promise<void> {
  return callAdminMethod<SetCommitFaultsRequest>(address, loadAdminService(), 'SetCommitFaults', {
    faults: [...faults],
    scope,
  });
}
