import type { MiddlewareObj } from '@middy/core';
import type { ClosingAccounts } from '../../auth/closing-accounts';
import type { IdentityVerifier } from '../../auth/identity-verifier';
import type { RoleRecords } from '../../auth/role-records';
import { AuthenticationError, PermissionDeniedError } from '../../errors/domain-errors';
import type { Access, HttpEvent } from '../http-types';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Authenticates the Firebase ID token in `Authorization` and enforces the access level. Revocation is
 * checked on state-changing methods, where a stolen token could do harm; reads of normal users accept a
 * token until it expires (at most one hour), which spares a call to the Auth backend on every read. Admin
 * and door functions check revocation on every call, reads included, and that the account still holds the
 * role its token claims (`roles`): a removed member is refused (401) at once, even if revoking their
 * tokens failed. Every call of an account whose deletion has started (`closing`) is refused (401), reads
 * included, except the calls of `deleteAccount` itself (`allowClosing`), so that a failed deletion can be
 * retried with the same token; once the Auth account is gone, the token check refuses those too.
 */
export function authenticate(
  access: Exclude<Access, 'none'>,
  verifier: IdentityVerifier,
  roles: RoleRecords,
  closing: ClosingAccounts,
  options: { readonly allowClosing?: boolean } = {},
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
      const atTheDoor = identity.role === 'admin' || identity.role === 'staff';
      if (access === 'door' && (!atTheDoor || identity.companyId === undefined)) {
        throw new PermissionDeniedError("Only the company's admins and door staff may call this function.");
      }
      const [holdsRole, isClosing] = await Promise.all([
        !company ||
          identity.role === undefined ||
          roles.holdsRole(identity.uid, identity.role, identity.companyId),
        options.allowClosing === true ? false : closing.isClosing(identity.uid),
      ]);
      if (!holdsRole)
        throw new AuthenticationError('This account no longer holds the role its token claims.');
      if (isClosing) throw new AuthenticationError('This account is being deleted.');
      event.caller = identity;
    },
  };
}
