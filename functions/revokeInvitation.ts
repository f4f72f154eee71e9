import { defineHttpFunction } from '../shared/http/define-http-function';
import { invitationEnvelopeSchema } from '../shared/users/user-response-schemas';
import { revokeInvitationBodySchema } from '../shared/users/user-schemas';

/** `POST /revokeInvitation`: an admin withdraws a pending invitation of their company. */
export const revokeInvitation = defineHttpFunction({
  name: 'revokeInvitation',
  method: 'POST',
  access: 'admin',
  body: revokeInvitationBodySchema,
  docs: {
    tag: 'Teams',
    summary: 'Revoke a pending invitation',
    description:
      "An invitation no longer pending answers 409 `invitation-not-pending`; another company's answers 404.",
    response: { status: 200, description: 'The revoked invitation.', schema: invitationEnvelopeSchema },
    problems: ['not-found', 'invitation-not-pending'],
  },
  handle: async ({ caller, body }) => {
    const { teamService } = await import('../shared/users/user-services');
    return { status: 200, body: await teamService().revoke(caller, body.invitationId) };
  },
});
