import { defineHttpFunction } from '../shared/http/define-http-function';
import { invitationListSchema } from '../shared/users/user-response-schemas';

/** `GET /myInvitations`: the pending invitations addressed to the caller's email, before `register`. */
export const myInvitations = defineHttpFunction({
  name: 'myInvitations',
  method: 'GET',
  access: 'signed-in',
  docs: {
    tag: 'Teams',
    summary: 'Invitations addressed to me',
    description: "Pending invitations to the ID token's email (empty for an account without one).",
    response: { status: 200, description: 'The pending invitations.', schema: invitationListSchema },
  },
  handle: async ({ caller }) => {
    const { teamService } = await import('../shared/users/user-services');
    return { status: 200, body: await teamService().invitationsFor(caller.email) };
  },
});
