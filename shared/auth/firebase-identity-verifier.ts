import { AuthenticationError } from '../errors/domain-errors';
import { firebaseAuth } from './firebase-auth';
import type { IdentityVerifier, VerifiedIdentity } from './identity-verifier';
import { identityFromClaims } from './token-claims';

/** Firebase Auth error codes that mean "this token is not acceptable", as opposed to an outage. */
const REJECTED_TOKEN_CODES = new Set([
  'auth/argument-error',
  'auth/invalid-argument',
  'auth/id-token-expired',
  'auth/id-token-revoked',
  'auth/invalid-id-token',
  'auth/user-disabled',
  'auth/user-not-found',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** {@link IdentityVerifier} backed by the Firebase Admin SDK. */
export class FirebaseIdentityVerifier implements IdentityVerifier {
  async verify(idToken: string, options: { readonly checkRevoked: boolean }): Promise<VerifiedIdentity> {
    try {
      const auth = await firebaseAuth();
      const decoded = await auth.verifyIdToken(idToken, options.checkRevoked);
      return identityFromClaims(decoded.uid, decoded);
    } catch (error) {
      const code = errorCode(error);
      if (code !== undefined && REJECTED_TOKEN_CODES.has(code)) {
        throw new AuthenticationError('The ID token is invalid, expired or revoked.');
      }
      throw error;
    }
  }
}
