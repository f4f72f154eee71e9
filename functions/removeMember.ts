import { defineHttpFunction } from '../shared/http/define-http-function';
import { userEnvelopeSchema } from '../shared/users/user-response-schemas';
import { removeMemberBodySchema } from '../shared/users/user-schemas';

/** `POST /removeMember`: an admin removes an admin or staff member of the company. */
export const removeMember = defineHttpFunction({
  name: 'removeMember',
  method: 'POST',
  access: 'admin',
  body: removeMemberBodySchema,
  docs: {
    tag: 'Teams',
    summary: 'Remove a member from the company',
    description:
      'The member loses the role at once: their ID tokens are revoked and every later call of theirs answers ' +
      '401; their profile is removed, so the account may register again or accept a new invitation. ' +
      "Removing the company's last admin answers 409 `last-admin`; another company's member 404.",
    response: { status: 200, description: 'The removed member.', schema: userEnvelopeSchema },
    problems: ['not-found', 'last-admin'],
  },
  handle: async ({ caller, body }) => {
    const { teamService } = await import('../shared/users/user-services');
    return { status: 200, body: await teamService().remove(caller, body.userId) };
  },
});
