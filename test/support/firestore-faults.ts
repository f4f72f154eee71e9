import { randomUUID } from 'node:crypto';
import { setFirestoreCommitFaults } from '../../local/firestore/admin-client';
import type { CommitFault, InjectedCommitFaults } from '../../local/firestore/faults';

/** Each test file (its own module registry) sets and clears only its own faults. */
const SCOPE = randomUUID();

/**
 * Replaces this test file's commit faults in the local cloud's Firestore emulator (`[]` removes them). The
 * emulator is shared by the test files running in parallel, so a fault should name this test's documents
 * in its `documentPrefix`. Answers how many commits the replaced faults failed and slowed.
 */
export function setCommitFaults(faults: readonly CommitFault[]): Promise<InjectedCommitFaults> {
  const address = process.env.FIRESTORE_EMULATOR_HOST;
  if (address === undefined)
    throw new Error('FIRESTORE_EMULATOR_HOST is not set: run with the integration project');
  return setFirestoreCommitFaults(address, faults, SCOPE);
}
