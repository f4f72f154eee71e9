import type { MiddlewareObj } from '@middy/core';
import { settle } from '../../async/bounded-concurrency';
import type { IdentityVerifier, VerifiedIdentity } from '../../auth/identity-verifier';
import type { RoleRecords } from '../../auth/role-records';
import { unverifiedIdentity } from '../../auth/token-claims';
import { AuthenticationError, PermissionDeniedError } from '../../errors/domain-errors';
import { isCompanyRole, type Role } from '../../users/role';
import type { Access, HttpEvent } from '../http-types';

const BEARER = /^Bearer\s+(\S+)$/i;

/** A role check started before the token was verified, and the claims it was started for. */
interface RoleCheckAhead {
  readonly claimed: VerifiedIdentity;
  readonly held: Promise<PromiseSettledResult<boolean>>;
}

/**
 * Starts the role check of the account a token claims to be before the token is verified, so that the
 * profile read runs beside the revocation check instead of after it. It is settled at once: its outcome
 * counts only if verification then confirms the same claims; one started for a forged token is dropped.
 */
function checkRoleAhead(token: string, roles: RoleRecords): RoleCheckAhead | undefined {
  const claimed = unverifiedIdentity(token);
  if (claimed?.role === undefined) return undefined;
  const held = settle(roles.holdsRole(claimed.uid, claimed.role, claimed.companyId));
  return { claimed, held };
}

/** Whether the verified caller still holds `role`: the answer of the check started ahead if it asked the same. */
async function holdsRole(
  identity: VerifiedIdentity,
  role: Role,
  ahead: RoleCheckAhead | undefined,
  roles: RoleRecords,
): Promise<boolean> {
  const askedAhead =
    ahead !== undefined &&
    ahead.claimed.uid === identity.uid &&
    ahead.claimed.role === role &&
    ahead.claimed.companyId === identity.companyId;
  if (!askedAhead) {
    return roles.holdsRole(identity.uid, role, identity.companyId);
  }
  const held = await ahead.held;
  if (held.status === 'rejected') throw held.reason;
  return held.value;
}

/**
 * Authenticates the Firebase ID token in `Authorization` and enforces the access level. Revocation is
 * checked on state-changing methods, where a stolen token could do harm; reads of normal users accept a
 * token until it expires (at most one hour), which spares a call to the Auth backend on every read. Admin
 * and door functions check revocation on every call, reads included, and that the account still holds the
 * role its token claims (`roles`): a removed member is refused (401) at once, even if revoking their
 * tokens failed. Both checks run side by side (docs/check-in.md, Capacity).
 */
export function authenticate(
  access: Exclude<Access, 'none'>,
  verifier: IdentityVerifier,
  roles: RoleRecords,
): MiddlewareObj<HttpEvent> {
  const company = access === 'admin' || access === 'door';
  return {
    name: 'authenticate',
    before: async ({ event }) => {
      const header = event.req.get('authorization');
      const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
      if (token === undefined) {
        throw new AuthenticationError('Send a Firebase ID token as "Authorization: Bearer <token>".');
      }
      const ahead = company ? checkRoleAhead(token, roles) : undefined;
      const identity = await verifier.verify(token, {
        checkRevoked: company || event.req.method !== 'GET',
      });
      if (access === 'user' && identity.role !== 'user') {
        throw new PermissionDeniedError(
          identity.role === undefined
            ? 'Register before using this function.'
            : 'Only registered users may call this function.',
        );
      }
      if (access === 'admin' && (identity.role !== 'admin' || identity.companyId === undefined)) {
        throw new PermissionDeniedError('Only company admins may call this function.');
      }
      if (access === 'door' && (!isCompanyRole(identity.role) || identity.companyId === undefined)) {
        throw new PermissionDeniedError("Only the company's admins and door staff may call this function.");
      }
      if (
        company &&
        identity.role !== undefined &&
        !(await holdsRole(identity, identity.role, ahead, roles))
      ) {
        throw new AuthenticationError('This account no longer holds the role its token claims.');
      }
      event.caller = identity;
    },
  };
}
