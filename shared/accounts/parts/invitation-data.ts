import type { InvitationRepository } from '../../users/invitation-repository';
import type { DataSubject, ExportSections, PersonalDataPart } from '../personal-data';

/**
 * Invitations the account accepted: they stay as the company's record of who was invited when, with the
 * invitee's email and uid replaced by the pseudonym. Pending invitations addressed to the email belong to
 * the inviting company (it may revoke them; they expire in seven days) and are left alone.
 */
export class InvitationData implements PersonalDataPart {
  readonly name = 'invitations';

  constructor(private readonly invitations: InvitationRepository) {}

  exportOf(): Promise<ExportSections> {
    // The contract's export has no invitations section: the user's role and company show the outcome.
    return Promise.resolve({});
  }

  async erase(subject: DataSubject): Promise<void> {
    for (const invitation of await this.invitations.acceptedBy(subject.uid)) {
      await this.invitations.forgetInvitee(invitation, subject.pseudonym);
    }
  }
}
