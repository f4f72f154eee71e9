import { setFirestoreCommitFaults } from '../../local/firestore/admin-client';
import type { CommitFault } from '../../local/firestore/faults';

/**
 * Replaces the commit faults of the local cloud's Firestore emulator (`[]` turns them off). The emulator is
 * shared by the test files running in parallel, so a fault should name this test's documents in its
 * `documentPrefix`.
 */
export function setCommitFaults(faults: readonly CommitFault[]): Promise<void> {
  const address = process.env.FIRESTORE_EMULATOR_HOST;
  if (address === undefined)
    throw new Error('FIRESTORE_EMULATOR_HOST is not set: run with the integration project');
  return setFirestoreCommitFaults(address, faults);
}
