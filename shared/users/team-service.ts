import type { Firestore } from 'firebase-admin/firestore';
import type { AccountClaims } from '../auth/account-claims';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { ConflictError, NotFoundError } from '../errors/domain-errors';
import type { AdminCaller } from '../http/http-types';
import { logger } from '../logging/logger';
import {
  emailKey,
  INVITATION_LIFETIME_MS,
  isPending,
  toInvitationResponse,
  type Invitation,
  type InvitationResponse,
} from './invitation';
import type { InvitationRepository } from './invitation-repository';
import type { CompanyRole } from './role';
import { toProfileResponse, type UserResponse } from './user';
import type { UserRepository } from './user-repository';

/** The collaborators of {@link TeamService}. */
export interface TeamDependencies {
  readonly db: Firestore;
  readonly users: UserRepository;
  readonly invitations: InvitationRepository;
  readonly claims: AccountClaims;
  readonly clock: Clock;
}

function invitationNotFound(): NotFoundError {
  return new NotFoundError('No invitation with this id.');
}

/** A company's members and invitations: inviting, revoking, listing and removing. */
export class TeamService {
  constructor(private readonly deps: TeamDependencies) {}

  /**
   * Invites `email` to the admin's company with `role`, for seven days. The latest invitation of an email
   * per company is read and replaced in one transaction, so two admins inviting at once make one.
   *
   * @throws ConflictError `invitation-pending` while an invitation of that email is pending
   */
  async invite(
    caller: AdminCaller,
    body: { email: string; role: CompanyRole },
  ): Promise<{ invitation: InvitationResponse }> {
    const email = emailKey(body.email);
    const invitation = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const latestId = await this.deps.invitations.latestIdIn(tx, caller.companyId, email);
      const latest = latestId === undefined ? undefined : await this.deps.invitations.getIn(tx, latestId);
      const now = this.deps.clock.now();
      if (latest !== undefined && isPending(latest, now)) {
        throw new ConflictError('invitation-pending', `${email} already has a pending invitation.`);
      }
      const created: Invitation = {
        id: this.deps.invitations.newId(),
        companyId: caller.companyId,
        email,
        role: body.role,
        status: 'pending',
        expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
        createdAt: now,
      };
      this.deps.invitations.add(tx, created);
      return created;
    });
    logger.info('member invited', {
      companyId: caller.companyId,
      invitationId: invitation.id,
      role: invitation.role,
      by: caller.uid,
    });
    return { invitation: toInvitationResponse(invitation, this.deps.clock.now()) };
  }

  /** The pending invitations addressed to the caller's email (none without one). */
  async invitationsFor(email: string | undefined): Promise<{ invitations: InvitationResponse[] }> {
    if (email === undefined) return { invitations: [] };
    const now = this.deps.clock.now();
    const pending = await this.deps.invitations.pendingFor(emailKey(email));
    return {
      invitations: pending
        .filter((invitation) => isPending(invitation, now))
        .map((invitation) => toInvitationResponse(invitation, now)),
    };
  }

  /**
   * Revokes a pending invitation of the admin's company.
   *
   * @throws NotFoundError for another company's invitation; ConflictError `invitation-not-pending`
   */
  async revoke(caller: AdminCaller, invitationId: string): Promise<{ invitation: InvitationResponse }> {
    const revoked = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const invitation = await this.deps.invitations.getIn(tx, invitationId);
      if (invitation === undefined || invitation.companyId !== caller.companyId) throw invitationNotFound();
      const now = this.deps.clock.now();
      if (!isPending(invitation, now)) {
        throw new ConflictError(
          'invitation-not-pending',
          `This invitation is ${toInvitationResponse(invitation, now).status}.`,
        );
      }
      this.deps.invitations.close(tx, invitation, 'revoked');
      return { ...invitation, status: 'revoked' as const };
    });
    return { invitation: toInvitationResponse(revoked, this.deps.clock.now()) };
  }

  /** The admin's company: its members and its pending invitations. */
  async members(
    caller: AdminCaller,
  ): Promise<{ members: UserResponse[]; invitations: InvitationResponse[] }> {
    const [members, invitations] = await Promise.all([
      this.deps.users.membersOf(caller.companyId),
      this.deps.invitations.pendingOf(caller.companyId),
    ]);
    const now = this.deps.clock.now();
    return {
      members: members
        .filter((member) => member.claimsApplied)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((member) => toProfileResponse(member, undefined).user),
      invitations: invitations
        .filter((invitation) => isPending(invitation, now))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((invitation) => toInvitationResponse(invitation, now)),
    };
  }

  /**
   * Removes a member from the admin's company: the profile and username go in one transaction that also
   * counts the company's admins, so the last one can never be removed, even by two admins removing each
   * other at once. Then the account's claims are taken off and its sessions revoked; until that has
   * happened (or if it fails) every admin and door function already refuses the account, because it no
   * longer holds its role.
   *
   * @throws NotFoundError for someone who is not a member of the company; ConflictError `last-admin`
   */
  async remove(caller: AdminCaller, userId: string): Promise<{ user: UserResponse }> {
    const removed = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const member = await this.deps.users.getUserIn(tx, userId);
      if (member === undefined || member.companyId !== caller.companyId) {
        throw new NotFoundError('No member of your company has this id.');
      }
      if (member.role === 'admin') {
        const admins = await this.deps.users.adminIdsIn(tx, caller.companyId);
        if (admins.filter((id) => id !== member.id).length === 0) {
          throw new ConflictError('last-admin', 'The last admin of a company cannot be removed.');
        }
      }
      this.deps.users.remove(tx, member);
      return member;
    });
    await this.deps.claims.removeRoleClaims(removed.id);
    logger.info('member removed', { companyId: caller.companyId, userId: removed.id, by: caller.uid });
    return { user: toProfileResponse(removed, undefined).user };
  }
}
