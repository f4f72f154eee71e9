import { getAuth } from 'firebase-admin/auth';
import { firebaseApp } from '../firebase/app';
import type { AccountClaims, RoleClaims } from './account-claims';

/** {@link AccountClaims} backed by the Firebase Admin SDK. */
export class FirebaseAccountClaims implements AccountClaims {
  async setRoleClaims(uid: string, claims: RoleClaims): Promise<void> {
    await getAuth(firebaseApp()).setCustomUserClaims(uid, { ...claims });
  }
}
