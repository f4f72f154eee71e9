import type { AuthAccounts } from './auth-accounts';
import { firebaseAuth } from './firebase-auth';

function isUserNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === 'auth/user-not-found'
  );
}

/** {@link AuthAccounts} backed by the Firebase Admin SDK. */
export class FirebaseAuthAccounts implements AuthAccounts {
  async delete(uid: string): Promise<void> {
    const auth = await firebaseAuth();
    try {
      await auth.deleteUser(uid);
    } catch (error) {
      if (!isUserNotFound(error)) throw error;
    }
  }
}
