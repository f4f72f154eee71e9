import {
  Timestamp,
  type DocumentData,
  type Firestore,
  type FirestoreDataConverter,
  type QueryDocumentSnapshot,
  type Transaction,
} from 'firebase-admin/firestore';
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
  constructor(private readonly db: Firestore) {}

  private users() {
    return this.db.collection('users').withConverter(userConverter);
  }

  private companies() {
    return this.db.collection('companies').withConverter(companyConverter);
  }

  private usernames() {
    return this.db.collection('usernames');
  }

  /** A fresh random company id (never monotonic, to avoid hotspots). */
  newCompanyId(): string {
    return this.companies().doc().id;
  }

  /** The user, read outside any transaction. */
  async findUser(uid: string): Promise<User | undefined> {
    return (await this.users().doc(uid).get()).data();
  }

  /** The company, read outside any transaction. */
  async findCompany(companyId: string): Promise<Company | undefined> {
    return (await this.companies().doc(companyId).get()).data();
  }

  /** Reads the user in `tx`, locking the document until the transaction ends. */
  async getUserIn(tx: Transaction, uid: string): Promise<User | undefined> {
    return (await tx.get(this.users().doc(uid))).data();
  }

  /** The company in `tx`. */
  async getCompanyIn(tx: Transaction, companyId: string): Promise<Company | undefined> {
    return (await tx.get(this.companies().doc(companyId))).data();
  }

  /** The uid holding `username`, read in `tx` so that a concurrent claim of the same name conflicts. */
  async usernameOwnerIn(tx: Transaction, username: string): Promise<string | undefined> {
    const snapshot = await tx.get(this.usernames().doc(usernameKey(username)));
    const owner: unknown = snapshot.get('uid');
    return typeof owner === 'string' ? owner : undefined;
  }

  /**
   * Stores a new registration in `tx`: the user, the username claim and, for admins, the company. `create`
   * preconditions make a lost race fail instead of overwriting.
   */
  createRegistration(tx: Transaction, user: User, company: Company | undefined): void {
    tx.create(this.users().doc(user.id), user);
    tx.create(this.usernames().doc(usernameKey(user.username)), { uid: user.id });
    if (company !== undefined) tx.create(this.companies().doc(company.id), company);
  }

  /** Records that the role claims are on the Auth account. */
  async markClaimsApplied(uid: string): Promise<void> {
    await this.db.collection('users').doc(uid).update({ claimsApplied: true });
  }
}
