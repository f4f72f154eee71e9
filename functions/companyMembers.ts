import { defineHttpFunction } from '../shared/http/define-http-function';
import { companyMembersSchema } from '../shared/users/user-response-schemas';

/** `GET /companyMembers`: an admin lists their company's members and pending invitations. */
export const companyMembers = defineHttpFunction({
  name: 'companyMembers',
  method: 'GET',
  access: 'admin',
  docs: {
    tag: 'Teams',
    summary: "The company's members and pending invitations",
    response: { status: 200, description: 'Members and invitations.', schema: companyMembersSchema },
  },
  handle: async ({ caller }) => {
    const { teamService } = await import('../shared/users/user-services');
    return { status: 200, body: await teamService().members(caller) };
  },
});
