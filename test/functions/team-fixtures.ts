import { randomUUID } from 'node:crypto';
import { createSignedInUser, type SignedInUser } from '../support/auth-users';
import { adminAuth } from '../support/firestore-admin';
import { callFunction, type FunctionResponse } from '../support/http-client';
import type { RoleUser } from '../support/roles';

/** The `invitation` object of the contract. */
export interface InvitationJson {
  readonly id: string;
  readonly companyId: string;
  readonly email: string;
  readonly role: string;
  readonly status: string;
  readonly expiresAt: string;
  readonly createdAt: string;
}

/** A signed-in, not yet registered account whose email is verified (or not), with a fresh ID token. */
export async function createInvitee(
  options: { email?: string; verified?: boolean } = {},
): Promise<SignedInUser> {
  const account = await createSignedInUser({ email: options.email ?? `invitee-${randomUUID()}@example.com` });
  await adminAuth().updateUser(account.uid, { emailVerified: options.verified ?? true });
  return { ...account, idToken: await account.refresh() };
}

/** Calls `inviteMember` as `admin`. */
export function invite(
  admin: RoleUser,
  email: string,
  role: 'admin' | 'staff',
): Promise<FunctionResponse<{ invitation: InvitationJson; type?: string }>> {
  return callFunction('inviteMember', { token: admin.idToken, body: { email, role } });
}

/** Invites and fails the test unless the invitation is created. */
export async function inviteOrFail(
  admin: RoleUser,
  email: string,
  role: 'admin' | 'staff',
): Promise<InvitationJson> {
  const response = await invite(admin, email, role);
  if (response.status !== 201)
    throw new Error(`inviteMember answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.invitation;
}

let sequence = 0;

/** A `register` body joining by invitation, with a username no other test uses. */
export function joinBody(invitationId: string, role: 'admin' | 'staff', username?: string) {
  sequence += 1;
  return {
    name: 'Door Keeper',
    username: username ?? `m${Date.now().toString(36)}${process.pid}_${sequence}`,
    countryCode: 'DE',
    phoneNumber: '+49 30 1234567',
    role,
    invitationId,
  };
}

/** Registers `account` by invitation and returns it with a token that carries the new claims. */
export async function joinOrFail(
  account: SignedInUser,
  invitation: InvitationJson,
): Promise<RoleUser & { companyId: string }> {
  const role = invitation.role === 'admin' ? 'admin' : 'staff';
  const response = await callFunction('register', {
    token: account.idToken,
    body: joinBody(invitation.id, role),
  });
  if (response.status !== 201)
    throw new Error(`register answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { ...account, idToken: await account.refresh(), companyId: invitation.companyId };
}
