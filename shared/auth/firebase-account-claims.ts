import type { AccountClaims, RoleClaims } from './account-claims';
import { firebaseAuth } from './firebase-auth';

/** {@link AccountClaims} backed by the Firebase Admin SDK. */
export class FirebaseAccountClaims implements AccountClaims {
  async setRoleClaims(uid: string, claims: RoleClaims): Promise<void> {
    const auth = await firebaseAuth();
    await auth.setCustomUserClaims(uid, { ...claims });
  }

  async removeRoleClaims(uid: string): Promise<void> {
    const auth = await firebaseAuth();
    await auth.setCustomUserClaims(uid, null);
    await auth.revokeRefreshTokens(uid);
  }
}
