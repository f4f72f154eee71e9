import * as z from 'zod';
import { callAdminMethod, callAdminMethodFor } from '../grpc/admin-call';
import { loadAdminService } from './proto';
import type { CommitFault, InjectedCommitFaults } from './faults';
import type { ResetRequest, SetCommitFaultsRequest } from './wire';

/**
 * Wipes a running emulator (possibly in another process) through its EmulatorAdmin service: all databases,
 * or only `database` (`projects/{project}/databases/{database}`). Open transactions are aborted.
 */
export function resetFirestoreEmulator(address: string, database?: string): Promise<void> {
  return callAdminMethod<ResetRequest>(address, loadAdminService(), 'Reset', { database: database ?? '' });
}

/** proto3 leaves zero counts out of the answer. */
const injectedCounts = z.object({
  failed: z.number().int().default(0),
  delayed: z.number().int().default(0),
});

/**
 * Replaces the Commit faults a running emulator injects for `scope` (docs/local-firestore-emulator.md,
 * Fault injection); an empty list removes them. Faults of other scopes stay. Answers how many commits the
 * replaced faults of the scope failed and slowed.
 */
export async function setFirestoreCommitFaults(
  address: string,
  faults: readonly CommitFault[],
  scope = '',
): Promise<InjectedCommitFaults> {
  return injectedCounts.parse(
    await callAdminMethodFor<SetCommitFaultsRequest>(address, loadAdminService(), 'SetCommitFaults', {
      faults: [...faults],
      scope,
    }),
  );
}
