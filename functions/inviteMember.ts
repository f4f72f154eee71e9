import { defineHttpFunction } from '../shared/http/define-http-function';
import { invitationEnvelopeSchema } from '../shared/users/user-response-schemas';
import { inviteMemberBodySchema } from '../shared/users/user-schemas';

/** `POST /inviteMember`: an admin invites someone by email to join the company as admin or staff. */
export const inviteMember = defineHttpFunction({
  name: 'inviteMember',
  method: 'POST',
  access: 'admin',
  body: inviteMemberBodySchema,
  docs: {
    tag: 'Teams',
    summary: 'Invite a new admin or door staff member',
    description:
      'Valid for seven days; the invitee accepts with `register` and `invitationId`. A pending invitation of ' +
      'the same email (case-insensitive) to the same company answers 409 `invitation-pending`.',
    response: { status: 201, description: 'The pending invitation.', schema: invitationEnvelopeSchema },
    problems: ['invitation-pending'],
  },
  handle: async ({ caller, body }) => {
    const { teamService } = await import('../shared/users/user-services');
    return { status: 201, body: await teamService().invite(caller, body) };
  },
});
