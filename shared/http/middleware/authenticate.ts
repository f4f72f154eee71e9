import type { MiddlewareObj } from '@middy/core';
import type { IdentityVerifier } from '../../auth/identity-verifier';
import { AuthenticationError, PermissionDeniedError } from '../../errors/domain-errors';
import type { Access, HttpEvent } from '../http-types';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Authenticates the Firebase ID token in `Authorization` and enforces the access level. Revocation is
 * checked on state-changing methods, where a stolen token could do harm; reads accept a token until it
 * expires (at most one hour), which spares a call to the Auth backend on every read.
 */
export function authenticate(
  access: Exclude<Access, 'none'>,
  verifier: IdentityVerifier,
): MiddlewareObj<HttpEvent> {
  return {
    name: 'authenticate',
    before: async ({ event }) => {
      const header = event.req.get('authorization');
      const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
      if (token === undefined) {
        throw new AuthenticationError('Send a Firebase ID token as "Authorization: Bearer <token>".');
      }
      const identity = await verifier.verify(token, { checkRevoked: event.req.method !== 'GET' });
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
      event.caller = identity;
    },
  };
}
