import { FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import { AuthenticationError } from '../errors/domain-errors';
import { storedTimestamp } from '../firebase/stored-timestamp';
import type { AccountDeletion } from './account-deletion';

/** Deletion records live in `accountDeletions/{uid}`; a TTL policy on `expiresAt` removes finished ones. */
export const ACCOUNT_DELETIONS_COLLECTION = 'accountDeletions';

const deletionDocument = z.object({
  status: z.enum(['erasing', 'erased', 'deleted']),
  pseudonym: z.string().optional(),
  startedAt: storedTimestamp,
});

/** Reads and writes the deletion records (`accountDeletions/{uid}`). */
export class AccountDeletionRepository {
  constructor(private readonly db: Firestore) {}

  private ref(uid: string) {
    return this.db.collection(ACCOUNT_DELETIONS_COLLECTION).doc(uid);
  }

  /** Whether the account's deletion has started, read outside any transaction. */
  async exists(uid: string): Promise<boolean> {
    return (await this.ref(uid).get()).exists;
  }

  /**
   * Refuses, in `tx`, to store anything more about an account whose deletion has started. Read in the
   * transaction that creates the data, it conflicts with the start of the deletion instead of slipping in
   * after the erasure passed (a request already past the middleware's check when the deletion started).
   *
   * @throws AuthenticationError once the deletion has started
   */
  async assertNotClosingIn(tx: Transaction, uid: string): Promise<void> {
    if ((await tx.get(this.ref(uid))).exists) throw new AuthenticationError('This account is being deleted.');
  }

  /** The account's deletion record, read in `tx`. */
  async getIn(tx: Transaction, uid: string): Promise<AccountDeletion | undefined> {
    const data = (await tx.get(this.ref(uid))).data();
    if (data === undefined) return undefined;
    const stored = deletionDocument.parse(data);
    return { uid, status: stored.status, pseudonym: stored.pseudonym, startedAt: stored.startedAt };
  }

  /** Starts the deletion in `tx`; the `create` precondition makes a concurrent start fail instead of overwrite. */
  start(tx: Transaction, deletion: AccountDeletion): void {
    tx.create(this.ref(deletion.uid), {
      status: deletion.status,
      ...(deletion.pseudonym === undefined ? {} : { pseudonym: deletion.pseudonym }),
      startedAt: Timestamp.fromDate(deletion.startedAt),
    });
  }

  /** Every part is erased: the pseudonym is forgotten, so nothing links it to the uid any more. */
  async markErased(uid: string): Promise<void> {
    await this.ref(uid).update({ status: 'erased', pseudonym: FieldValue.delete() });
  }

  /** The Auth account is gone: the record only has to outlive the account's last ID token. */
  async markDeleted(uid: string, expiresAt: Date): Promise<void> {
    await this.ref(uid).update({ status: 'deleted', expiresAt: Timestamp.fromDate(expiresAt) });
  }
}
