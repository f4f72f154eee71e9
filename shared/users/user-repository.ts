import {
  Timestamp,
  type DocumentData,
  type Firestore,
  type FirestoreDataConverter,
  type QueryDocumentSnapshot,
  type Transaction,
} from 'firebase-admin/firestore';
import { EntityCollection } from '../firebase/entity-collection';
import type { Company, User } from './user';

const userConverter: FirestoreDataConverter<User> = {
  toFirestore: (user: User): DocumentData => {
    const { id: _id, createdAt, ...fields } = user;
    return { ...fields, createdAt: Timestamp.fromDate(createdAt) };
  },
  fromFirestore: (snapshot: QueryDocumentSnapshot): User => {
    const data = snapshot.data();
    return {
      id: snapshot.id,
      name: data['name'],
      username: data['username'],
      email: data['email'] ?? null,
      countryCode: data['countryCode'],
      phoneNumber: data['phoneNumber'],
      role: data['role'],
      companyId: data['companyId'] ?? null,
      createdAt: (data['createdAt'] as Timestamp).toDate(),
      claimsApplied: data['claimsApplied'] === true,
    };
  },
};

const companyConverter: FirestoreDataConverter<Company> = {
  toFirestore: (company: Company): DocumentData => {
    const { id: _id, createdAt, ...fields } = company;
    return { ...fields, createdAt: Timestamp.fromDate(createdAt) };
  },
  fromFirestore: (snapshot: QueryDocumentSnapshot): Company => {
    const data = snapshot.data();
    return {
      id: snapshot.id,
      name: data['name'],
      address: data['address'],
      email: data['email'],
      countryCode: data['countryCode'],
      phoneNumber: data['phoneNumber'],
      registrationNumber: data['registrationNumber'],
      createdAt: (data['createdAt'] as Timestamp).toDate(),
    };
  },
};

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

  /** Records that the role claims are on the Auth account. */
  async markClaimsApplied(uid: string): Promise<void> {
    await this.db.collection('users').doc(uid).update({ claimsApplied: true });
  }
}
