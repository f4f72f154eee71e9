import { ACCOUNT_DELETIONS_COLLECTION } from '../accounts/account-deletion-repository';
import { Timestamp, type DocumentData, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import { EntityCollection } from '../firebase/entity-collection';
import { entityConverter } from '../firebase/entity-converter';
import { storedTimestamp } from '../firebase/stored-timestamp';
import { ROLES } from './role';
import { companySchema } from './user-response-schemas';
import type { Company, User } from './user';

/** The stored shapes and the id, checked on every read so that a malformed document fails loudly. */
const userDocument = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  email: z.string().nullable().default(null),
  countryCode: z.string(),
  phoneNumber: z.string(),
  role: z.enum(ROLES),
  companyId: z.string().nullable().default(null),
  createdAt: storedTimestamp,
  claimsApplied: z.boolean().default(false),
});

// The contract's company carries exactly the stored fields; only the instant is stored as a Timestamp.
const companyDocument = z.object({ ...companySchema.shape, createdAt: storedTimestamp });

function withStoredCreatedAt<T extends { readonly id: string; readonly createdAt: Date }>(
  entity: T,
): DocumentData {
  const { id: _id, createdAt, ...fields } = entity;
  return { ...fields, createdAt: Timestamp.fromDate(createdAt) };
}

const userConverter = entityConverter<User>(userDocument, withStoredCreatedAt);
const companyConverter = entityConverter<Company>(companyDocument, withStoredCreatedAt);

/** Usernames are claimed case-insensitively, so `Ada` and `ada` are the same name. */
function usernameKey(username: string): string {
  return username.toLowerCase();
}

/**
 * Users (`users/{uid}`), companies (`companies/{id}`) and the username index (`usernames/{lowercase}`)
 * whose documents make a username unique even when two registrations race.
 */
export class UserRepository {
  private readonly users: EntityCollection<User>;
  private readonly companies: EntityCollection<Company>;

  constructor(private readonly db: Firestore) {
    this.users = new EntityCollection(db.collection('users').withConverter(userConverter));
    this.companies = new EntityCollection(db.collection('companies').withConverter(companyConverter));
  }

  /** A fresh random company id (never monotonic, to avoid hotspots). */
  newCompanyId(): string {
    return this.companies.newId();
  }

  /** The user, read outside any transaction. */
  findUser(uid: string): Promise<User | undefined> {
    return this.users.find(uid);
  }

  /**
   * The role and company the user's profile records, read in one round trip together with the account's
   * deletion record: an account whose deletion has started holds no role any more.
   */
  async heldRole(uid: string): Promise<{ role: unknown; companyId: string | undefined } | undefined> {
    const [profile, deletion] = await this.db.getAll(
      this.db.collection('users').doc(uid),
      this.db.collection(ACCOUNT_DELETIONS_COLLECTION).doc(uid),
    );
    if (profile?.exists !== true || deletion?.exists === true) return undefined;
    const companyId: unknown = profile.get('companyId');
    return { role: profile.get('role'), companyId: typeof companyId === 'string' ? companyId : undefined };
  }

  /** The company, read outside any transaction. */
  findCompany(companyId: string): Promise<Company | undefined> {
    return this.companies.find(companyId);
  }

  /** Reads the user in `tx`, locking the document until the transaction ends. */
  getUserIn(tx: Transaction, uid: string): Promise<User | undefined> {
    return this.users.getIn(tx, uid);
  }

  /** The company in `tx`. */
  getCompanyIn(tx: Transaction, companyId: string): Promise<Company | undefined> {
    return this.companies.getIn(tx, companyId);
  }

  /** The uid holding `username`, read in `tx` so that a concurrent claim of the same name conflicts. */
  async usernameOwnerIn(tx: Transaction, username: string): Promise<string | undefined> {
    const snapshot = await tx.get(this.db.collection('usernames').doc(usernameKey(username)));
    const owner: unknown = snapshot.get('uid');
    return typeof owner === 'string' ? owner : undefined;
  }

  /**
   * Stores a new registration in `tx`: the user, the username claim and, for admins, the company. `create`
   * preconditions make a lost race fail instead of overwriting.
   */
  createRegistration(tx: Transaction, user: User, company: Company | undefined): void {
    this.users.create(tx, user);
    tx.create(this.db.collection('usernames').doc(usernameKey(user.username)), { uid: user.id });
    if (company !== undefined) this.companies.create(tx, company);
  }

  /** The registered members (admins and staff) of a company. */
  async membersOf(companyId: string): Promise<User[]> {
    const snapshot = await this.users.query().where('companyId', '==', companyId).get();
    return snapshot.docs.map((document) => document.data());
  }

  /**
   * The ids of the company's admins, read in `tx`: a concurrent removal of another admin then conflicts
   * with this transaction instead of both leaving the company without one.
   */
  async adminIdsIn(tx: Transaction, companyId: string): Promise<string[]> {
    const snapshot = await tx.get(
      this.db.collection('users').where('companyId', '==', companyId).where('role', '==', 'admin').select(),
    );
    return snapshot.docs.map((document) => document.id);
  }

  /** Deletes the profile and frees the username in `tx`, as if the account had never registered. */
  remove(tx: Transaction, user: User): void {
    tx.delete(this.db.collection('users').doc(user.id));
    tx.delete(this.db.collection('usernames').doc(usernameKey(user.username)));
  }

  /** Records that the role claims are on the Auth account. */
  async markClaimsApplied(uid: string): Promise<void> {
    await this.db.collection('users').doc(uid).update({ claimsApplied: true });
  }
}
