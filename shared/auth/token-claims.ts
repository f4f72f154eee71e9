import { ROLES, type Role } from '../users/role';
import type { VerifiedIdentity } from './identity-verifier';

function roleOf(claim: unknown): Role | undefined {
  return ROLES.find((role) => role === claim);
}

/** The identity that a Firebase ID token's claims state about the account `uid`. */
export function identityFromClaims(uid: string, claims: Readonly<Record<string, unknown>>): VerifiedIdentity {
  return {
    uid,
    email: typeof claims['email'] === 'string' ? claims['email'] : undefined,
    emailVerified: claims['email_verified'] === true,
    role: roleOf(claims['role']),
    companyId: typeof claims['companyId'] === 'string' ? claims['companyId'] : undefined,
  };
}

function isClaims(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Firebase Auth uids are non-empty and at most 128 characters long. */
const MAX_UID_LENGTH = 128;

/**
 * The identity a JWT's payload states, read WITHOUT checking its signature, expiry or revocation: only to
 * start reads that depend on the claims (the role check of admin and door calls) while the token is being
 * verified. Whatever is read with it is used only once verification has confirmed the very same claims
 * (`authenticate`). Undefined for anything that is not a JWT with a usable `sub`.
 */
export function unverifiedIdentity(idToken: string): VerifiedIdentity | undefined {
  const payload = idToken.split('.')[1];
  if (payload === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    // Not a JWT: verification refuses it, and nothing is read ahead for it.
    return undefined;
  }
  if (!isClaims(claims)) return undefined;
  const uid = claims['sub'];
  if (typeof uid !== 'string' || uid.length === 0 || uid.length > MAX_UID_LENGTH) return undefined;
  return identityFromClaims(uid, claims);
}
