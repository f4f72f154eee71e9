import { AuthenticationError } from '../errors/domain-errors';
import { ROLES, type Role } from '../http/http-types';
import { firebaseAuth } from './firebase-auth';
import type { IdentityVerifier, VerifiedIdentity } from './identity-verifier';

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

function roleOf(claim: unknown): Role | undefined {
  return ROLES.find((role) => role === claim);
}

/** {@link IdentityVerifier} backed by the Firebase Admin SDK. */
export class FirebaseIdentityVerifier implements IdentityVerifier {
  async verify(idToken: string, options: { readonly checkRevoked: boolean }): Promise<VerifiedIdentity> {
    try {
      const auth = await firebaseAuth();
      const decoded = await auth.verifyIdToken(idToken, options.checkRevoked);
      return {
        uid: decoded.uid,
        email: decoded.email,
        emailVerified: decoded.email_verified === true,
        role: roleOf(decoded['role']),
        companyId: typeof decoded['companyId'] === 'string' ? decoded['companyId'] : undefined,
      };
    } catch (error) {
      const code = errorCode(error);
      if (code !== undefined && REJECTED_TOKEN_CODES.has(code)) {
        throw new AuthenticationError('The ID token is invalid, expired or revoked.');
      }
      throw error;
    }
  }
}
