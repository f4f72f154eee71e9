import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { AccountClaims } from '../auth/account-claims';
import {
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
} from '../errors/domain-errors';
import { isAlreadyExists } from '../firebase/firestore-errors';
import type { Caller } from '../http/http-types';
import { emailKey, isPending, type Invitation } from './invitation';
import type { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import type { InvitationRepository } from './invitation-repository';
import { toProfileResponse, type Company, type ProfileResponse, type User } from './user';
import type { UserRepository } from './user-repository';
import type { CompanyInput, RegisterBody } from './user-schemas';

function sameCompany(stored: Company | undefined, requested: CompanyInput | undefined): boolean {
  if (stored === undefined || requested === undefined) return stored === requested;
  return (Object.keys(requested) as (keyof CompanyInput)[]).every((key) => stored[key] === requested[key]);
}

/** Whether a stored, unfinished registration is the one being requested again. */
function sameRegistration(user: User, company: Company | undefined, body: RegisterBody): boolean {
  return (
    user.name === body.name &&
    user.username === body.username &&
    user.countryCode === body.countryCode &&
    user.phoneNumber === body.phoneNumber &&
    user.role === body.role &&
    sameCompany(company, body.company)
  );
}

/** Registers signed-in Firebase users as normal users or as the admin of a new company. */
export class RegistrationService {
  constructor(
    private readonly db: Firestore,
    private readonly users: UserRepository,
    private readonly claims: AccountClaims,
    private readonly invitations: InvitationRepository,
    private readonly deletions: AccountDeletionRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Registers the caller. The profile, username claim and company are stored in one transaction; the role
   * claims are set on the Auth account afterwards (it is not transactional), and the profile is marked
   * complete last. If setting the claims fails, the caller's retry with the same body finishes the job;
   * a registration that completed answers 409.
   *
   * With an `invitationId`, the caller joins the inviting company with the invited role; the invitation is
   * accepted in the same transaction, so two registrations racing for it cannot both use it.
   *
   * @throws ConflictError `already-registered`, `username-taken` or `invitation-not-pending`;
   * PermissionDeniedError when the token's email is not the invited one or not verified; NotFoundError
   * for an unknown invitation
   */
  async register(caller: Caller, body: RegisterBody): Promise<ProfileResponse> {
    const { user, company } = await this.storeRegistration(caller, body);
    if (!user.claimsApplied) {
      await this.claims.setRoleClaims(user.id, {
        role: user.role,
        ...(user.companyId === null ? {} : { companyId: user.companyId }),
      });
      await this.users.markClaimsApplied(user.id);
    }
    return toProfileResponse(user, company);
  }

  private async storeRegistration(
    caller: Caller,
    body: RegisterBody,
  ): Promise<{ user: User; company: Company | undefined }> {
    try {
      return await this.db.runTransaction((tx) => this.registerIn(tx, caller, body));
    } catch (error) {
      // A `create` lost a race that the transaction's reads could not see coming; reading again
      // now finds the winner's document and answers with the right conflict.
      if (!isAlreadyExists(error)) throw error;
      return this.db.runTransaction((tx) => this.registerIn(tx, caller, body));
    }
  }

  private async registerIn(
    tx: Transaction,
    caller: Caller,
    body: RegisterBody,
  ): Promise<{ user: User; company: Company | undefined }> {
    const [existing, invitation] = await Promise.all([
      this.users.getUserIn(tx, caller.uid),
      body.invitationId === undefined ? undefined : this.invitations.getIn(tx, body.invitationId),
      this.deletions.assertNotClosingIn(tx, caller.uid),
    ]);
    if (existing !== undefined) {
      const company =
        existing.companyId === null ? undefined : await this.users.getCompanyIn(tx, existing.companyId);
      // A member who joined by invitation registered no company of their own.
      const registered = body.invitationId === undefined ? company : undefined;
      if (existing.claimsApplied || !sameRegistration(existing, registered, body)) {
        throw new ConflictError('already-registered', 'This account is already registered.');
      }
      return { user: existing, company };
    }
    const createdAt = this.now();
    if (body.invitationId !== undefined) this.assertUsable(invitation, caller, body, createdAt);
    const owner = await this.users.usernameOwnerIn(tx, body.username);
    if (owner !== undefined) {
      throw new ConflictError('username-taken', `The username "${body.username}" is taken.`);
    }
    const company: Company | undefined =
      invitation !== undefined
        ? await this.users.getCompanyIn(tx, invitation.companyId)
        : body.company === undefined
          ? undefined
          : { id: this.users.newCompanyId(), ...body.company, createdAt };
    const user: User = {
      id: caller.uid,
      name: body.name,
      username: body.username,
      email: caller.email ?? null,
      countryCode: body.countryCode,
      phoneNumber: body.phoneNumber,
      role: body.role,
      companyId: invitation?.companyId ?? company?.id ?? null,
      createdAt,
      claimsApplied: false,
    };
    this.users.createRegistration(tx, user, invitation === undefined ? company : undefined);
    if (invitation !== undefined) this.invitations.close(tx, invitation, 'accepted', caller.uid);
    return { user, company };
  }

  private assertUsable(
    invitation: Invitation | undefined,
    caller: Caller,
    body: RegisterBody,
    now: Date,
  ): asserts invitation is Invitation {
    if (invitation === undefined) throw new NotFoundError('No invitation with this id.');
    if (caller.email === undefined || emailKey(caller.email) !== invitation.email || !caller.emailVerified) {
      throw new PermissionDeniedError('This invitation is for another email, or yours is not verified yet.');
    }
    if (!isPending(invitation, now)) {
      throw new ConflictError(
        'invitation-not-pending',
        'This invitation was already used, revoked or has expired.',
      );
    }
    if (body.role !== invitation.role) {
      throw new ValidationError('The request body is invalid.', [
        { path: 'role', message: `The invitation is for the role "${invitation.role}".` },
      ]);
    }
  }
}
