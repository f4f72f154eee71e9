import type { ClosingAccounts } from '../auth/closing-accounts';
import type { AccountDeletionRepository } from './account-deletion-repository';

/**
 * {@link ClosingAccounts} read from the deletion records (`accountDeletions/{uid}`). Firestore is loaded on
 * the first call, so that functions answer requests refused before it without loading it.
 */
export class FirestoreClosingAccounts implements ClosingAccounts {
  private deletions: Promise<AccountDeletionRepository> | undefined;

  async isClosing(uid: string): Promise<boolean> {
    this.deletions ??= Promise.all([
      import('../firebase/firestore'),
      import('./account-deletion-repository'),
    ]).then(([{ firestore }, { AccountDeletionRepository }]) => new AccountDeletionRepository(firestore()));
    return (await this.deletions).exists(uid);
  }
}
