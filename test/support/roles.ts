import { randomUUID } from 'node:crypto';
import { createSignedInUser, type SignedInUser } from './auth-users';
import { adminAuth } from './firestore-admin';

/** A signed-in user whose ID token carries role claims, as after registering and refreshing the token. */
export interface RoleUser extends SignedInUser {
  /** An ID token issued after the claims were set. */
  readonly idToken: string;
}

/** A company admin; `companyId` is the claim their token carries. */
export interface CompanyAdmin extends RoleUser {
  readonly companyId: string;
}

async function withClaims(claims: Record<string, string>): Promise<RoleUser> {
  const user = await createSignedInUser();
  await adminAuth().setCustomUserClaims(user.uid, claims);
  return { ...user, idToken: await user.refresh() };
}

/**
 * A registered normal user (role claim `user`). Sets the claims directly instead of calling `register`, so
 * that tests of other functions do not depend on registration; register's own tests cover that path.
 */
export function createRegisteredUser(): Promise<RoleUser> {
  return withClaims({ role: 'user' });
}

/** An admin of `companyId` (a new random company by default), claims set as `register` sets them. */
export async function createCompanyAdmin(companyId: string = randomUUID()): Promise<CompanyAdmin> {
  return { ...(await withClaims({ role: 'admin', companyId })), companyId };
}
