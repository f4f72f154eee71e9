import type * as z from 'zod';
import type { invitationSchema } from './user-response-schemas';
import type { CompanyRole } from './role';

/** How long an invitation can be accepted. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** Every state of an invitation: `pending` → `accepted` | `revoked` | `expired`. */
export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;

/** One of {@link INVITATION_STATUSES}. */
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** An invitation to join a company, stored in `invitations/{id}`. */
export interface Invitation {
  readonly id: string;
  readonly companyId: string;
  /** Lower case: emails are compared case-insensitively. */
  readonly email: string;
  readonly role: CompanyRole;
  /** As stored; a `pending` invitation past `expiresAt` is `expired` (see {@link visibleInvitationStatus}). */
  readonly status: Exclude<InvitationStatus, 'expired'>;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  readonly acceptedBy?: string;
}

/** The `invitation` object of the HTTP contract. */
export type InvitationResponse = z.infer<typeof invitationSchema>;

/** The status clients see: a pending invitation expires by time alone, without a write. */
export function visibleInvitationStatus(
  invitation: Pick<Invitation, 'status' | 'expiresAt'>,
  now: Date,
): InvitationStatus {
  return invitation.status === 'pending' && invitation.expiresAt.getTime() <= now.getTime()
    ? 'expired'
    : invitation.status;
}

/** Whether the invitation can still be accepted or revoked. */
export function isPending(invitation: Pick<Invitation, 'status' | 'expiresAt'>, now: Date): boolean {
  return visibleInvitationStatus(invitation, now) === 'pending';
}

/** Emails are matched case-insensitively. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Maps a stored invitation to the contract's response as of `now`. */
export function toInvitationResponse(invitation: Invitation, now: Date): InvitationResponse {
  return {
    id: invitation.id,
    companyId: invitation.companyId,
    email: invitation.email,
    role: invitation.role,
    status: visibleInvitationStatus(invitation, now),
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}
