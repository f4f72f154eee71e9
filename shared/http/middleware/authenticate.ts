import type { MiddlewareObj } from '@middy/core';
import { settle } from '../../async/bounded-concurrency';
import type { ClosingAccounts } from '../../auth/closing-accounts';
import type { IdentityVerifier, VerifiedIdentity } from '../../auth/identity-verifier';
import type { RoleRecords } from '../../auth/role-records';
import { unverifiedIdentity } from '../../auth/token-claims';
import { AuthenticationError, PermissionDeniedError } from '../../errors/domain-errors';
import { isCompanyRole } from '../../users/role';
import type { Access, HttpEvent } from '../http-types';

const BEARER = /^Bearer\s+(\S+)$/i;

/** A check started before the token was verified, and the claims it was started for. */
interface CheckAhead {
  readonly claimed: VerifiedIdentity;
  readonly answer: Promise<PromiseSettledResult<boolean>>;
}

/** Whether two identities name the same account in the same role and company. */
function sameClaims(a: VerifiedIdentity, b: VerifiedIdentity): boolean {
  return a.uid === b.uid && a.role === b.role && a.companyId === b.companyId;
}

/**
 * Starts a check of the account a token claims to be before the token is verified, so that its read runs
 * beside the revocation check instead of after it. It is settled at once: its outcome counts only if
 * verification then confirms the same claims; one started for a forged token is dropped.
 */
function checkAhead(
  claimed: VerifiedIdentity | undefined,
  check: (identity: VerifiedIdentity) => Promise<boolean>,
): CheckAhead | undefined {
  return claimed === undefined ? undefined : { claimed, answer: settle(check(claimed)) };
}

/** The answer of `check` for the verified caller: the one started ahead if it asked the same. */
async function answerFor(
  identity: VerifiedIdentity,
  ahead: CheckAhead | undefined,
  check: (identity: VerifiedIdentity) => Promise<boolean>,
): Promise<boolean> {
  if (ahead === undefined || !sameClaims(ahead.claimed, identity)) return check(identity);
  const answer = await ahead.answer;
  if (answer.status === 'rejected') throw answer.reason;
  return answer.value;
}

/**
 * Authenticates the Firebase ID token in `Authorization` and enforces the access level. Revocation is
 * checked on state-changing methods, where a stolen token could do harm; reads of normal users accept a
 * token until it expires (at most one hour), which spares a call to the Auth backend on every read. Admin
 * and door functions check revocation on every call, reads included, and that the account still holds the
 * role its token claims (`roles`): a removed member is refused (401) at once, even if revoking their
 * tokens failed. Every call of an account whose deletion has started (`closing`) is refused (401), reads
 * included, except the calls of `deleteAccount` itself (`allowClosing`), so that a failed deletion can be
 * retried with the same token; once the Auth account is gone, the token check refuses those too. The role
 * and closing reads start beside the token's verification, not after it (docs/check-in.md, Capacity).
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
      const claimed = unverifiedIdentity(token);
      const holdsClaimedRole = (who: VerifiedIdentity): Promise<boolean> =>
        !company || who.role === undefined
          ? Promise.resolve(true)
          : roles.holdsRole(who.uid, who.role, who.companyId);
      // Admin and door calls need no read of their own: the role read refuses a closing account.
      const isClosing = (who: VerifiedIdentity): Promise<boolean> =>
        options.allowClosing === true || company ? Promise.resolve(false) : closing.isClosing(who.uid);
      const roleAhead = checkAhead(claimed, holdsClaimedRole);
      const closingAhead = checkAhead(claimed, isClosing);
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
      const [holdsRole, closingAccount] = await Promise.all([
        answerFor(identity, roleAhead, holdsClaimedRole),
        answerFor(identity, closingAhead, isClosing),
      ]);
      if (!holdsRole)
        throw new AuthenticationError('This account no longer holds the role its token claims.');
      if (closingAccount) throw new AuthenticationError('This account is being deleted.');
      event.caller = identity;
    },
  };
}
