import { createHash } from 'node:crypto';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import { EntityCollection } from '../firebase/entity-collection';
import { entityConverter } from '../firebase/entity-converter';
import { storedTimestamp } from '../firebase/stored-timestamp';
import type { Invitation } from './invitation';
import { COMPANY_ROLES } from './role';

const invitationDocument = z.object({
  id: z.string(),
  companyId: z.string(),
  email: z.string(),
  role: z.enum(COMPANY_ROLES),
  status: z.enum(['pending', 'accepted', 'revoked']),
  expiresAt: storedTimestamp,
  createdAt: storedTimestamp,
  acceptedBy: z.string().optional(),
});

const invitationConverter = entityConverter<Invitation>(invitationDocument, (invitation) => {
  const { id: _id, expiresAt, createdAt, ...fields } = invitation;
  return { ...fields, expiresAt: Timestamp.fromDate(expiresAt), createdAt: Timestamp.fromDate(createdAt) };
});

/**
 * Invitations (`invitations/{id}`) and, per company and email, the pointer to the latest invitation
 * (`companies/{companyId}/invitationsByEmail/{sha256(email)}`), which a new invitation reads and writes in
 * its transaction so that two admins inviting the same person at once make one pending invitation.
 */
export class InvitationRepository extends EntityCollection<Invitation> {
  constructor(private readonly db: Firestore) {
    super(db.collection('invitations').withConverter(invitationConverter));
  }

  /** The id of the latest invitation of `email` to the company, read in `tx`. */
  async latestIdIn(tx: Transaction, companyId: string, email: string): Promise<string | undefined> {
    const snapshot = await tx.get(this.latestRef(companyId, email));
    const id: unknown = snapshot.get('invitationId');
    return typeof id === 'string' ? id : undefined;
  }

  /** Stores a new invitation in `tx` as the latest of its email in its company. */
  add(tx: Transaction, invitation: Invitation): void {
    this.create(tx, invitation);
    tx.set(this.latestRef(invitation.companyId, invitation.email), { invitationId: invitation.id });
  }

  /** Moves the invitation out of `pending` in `tx`. */
  close(tx: Transaction, invitation: Invitation, status: 'accepted' | 'revoked', acceptedBy?: string): void {
    tx.update(this.collection.doc(invitation.id), {
      status,
      ...(acceptedBy === undefined ? {} : { acceptedBy }),
    });
  }

  /** The invitations addressed to `email` that were pending when stored (the caller filters expired ones). */
  async pendingFor(email: string): Promise<Invitation[]> {
    const snapshot = await this.collection.where('email', '==', email).where('status', '==', 'pending').get();
    return snapshot.docs.map((document) => document.data());
  }

  /** The company's invitations that were pending when stored. */
  async pendingOf(companyId: string): Promise<Invitation[]> {
    const snapshot = await this.collection
      .where('companyId', '==', companyId)
      .where('status', '==', 'pending')
      .get();
    return snapshot.docs.map((document) => document.data());
  }

  /** The invitations the account accepted. */
  async acceptedBy(uid: string): Promise<Invitation[]> {
    const snapshot = await this.collection.where('acceptedBy', '==', uid).get();
    return snapshot.docs.map((document) => document.data());
  }

  /**
   * Replaces the invitee's email and uid on an accepted invitation by `pseudonym`, and drops its company's
   * index entry for the email if it still names this invitation (the index key is a hash of the email).
   */
  async forgetInvitee(invitation: Invitation, pseudonym: string): Promise<void> {
    await this.db.runTransaction(async (tx) => {
      const latest = this.latestRef(invitation.companyId, invitation.email);
      if ((await tx.get(latest)).get('invitationId') === invitation.id) tx.delete(latest);
      tx.update(this.collection.doc(invitation.id), { email: pseudonym, acceptedBy: pseudonym });
    });
  }

  private latestRef(companyId: string, email: string) {
    const key = createHash('sha256').update(email).digest('hex');
    return this.db.collection('companies').doc(companyId).collection('invitationsByEmail').doc(key);
  }
}
