import type { Role } from '../users/role';

/** The facts an ID token proves about its bearer. */
export interface VerifiedIdentity {
  readonly uid: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  readonly role: Role | undefined;
  readonly companyId: string | undefined;
}

/** Checks Firebase ID tokens. Implementations throw `AuthenticationError` for any bad token. */
export interface IdentityVerifier {
  /**
   * Verifies `idToken`. With `checkRevoked`, also refuses tokens of revoked sessions or disabled accounts,
   * which costs a call to the Auth backend, so it is used on state-changing calls.
   */
  verify(idToken: string, options: { readonly checkRevoked: boolean }): Promise<VerifiedIdentity>;
}
