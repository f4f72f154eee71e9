import type { DatabaseStore } from './store';
import type { Transaction } from './transactions';
import type { ParsedWrite } from './writes';

/**
 * A tripwire of the lock manager: a transaction's shared locks keep every document it read unchanged until
 * it commits, so a document it writes must still be the version it read. Were it not, the commit would
 * lose another transaction's update (an oversold ticket upstream); it fails as an emulator bug instead,
 * logged as one, never applied.
 */
export function assertUnchangedSinceRead(
  transaction: Pick<Transaction, 'readVersions'>,
  writes: readonly ParsedWrite[],
  store: Pick<DatabaseStore, 'get'>,
): void {
  for (const write of writes) {
    if (!transaction.readVersions.has(write.name)) continue;
    const read = transaction.readVersions.get(write.name);
    const current = store.get(write.path)?.updateTime;
    if (current !== read) {
      throw new Error(
        `Isolation broken: ${write.name} changed since the committing transaction read it (read at ${String(read)}, now ${String(current)})`,
      );
    }
  }
}
