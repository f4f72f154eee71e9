import { randomUUID } from 'node:crypto';
import { createSignedInUser, type SignedInUser } from './auth-users';
import { Timestamp } from 'firebase-admin/firestore';
import { adminAuth, adminFirestore } from './firestore-admin';

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

/**
 * A member of `companyId` with `role`: the claims and the profile that `register` stores, which admin and
 * door functions check on every call.
 */
async function createMember(role: 'admin' | 'staff', companyId: string): Promise<CompanyAdmin> {
  const member = await withClaims({ role, companyId });
  await adminFirestore()
    .collection('users')
    .doc(member.uid)
    .set({
      name: `Test ${role}`,
      username: `${role}_${member.uid.slice(0, 20)}`,
      email: member.email,
      countryCode: 'DE',
      phoneNumber: '+49 30 1234567',
      role,
      companyId,
      createdAt: Timestamp.now(),
      claimsApplied: true,
    });
  return { ...member, companyId };
}

/** An admin of `companyId` (a new random company by default), registered as `register` leaves one. */
export function createCompanyAdmin(companyId: string = randomUUID()): Promise<CompanyAdmin> {
  return createMember('admin', companyId);
}

/** Door staff of `companyId`, registered as accepting a staff invitation leaves them. */
export function createCompanyStaff(companyId: string): Promise<CompanyAdmin> {
  return createMember('staff', companyId);
}
