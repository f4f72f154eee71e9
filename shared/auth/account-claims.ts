import type { Role } from '../users/role';

/** The custom claims the server sets on an account; the client sees them after its next token refresh. */
export interface RoleClaims {
  readonly role: Role;
  readonly companyId?: string;
}

/** Sets role claims on Firebase Auth accounts. */
export interface AccountClaims {
  /** Replaces the account's custom claims; setting the same claims twice is harmless. */
  setRoleClaims(uid: string, claims: RoleClaims): Promise<void>;
  /**
   * Takes the role claims off the account and revokes its sessions, so that its current ID tokens are
   * refused wherever revocation is checked. Harmless to repeat.
   */
  removeRoleClaims(uid: string): Promise<void>;
}
