import { defineHttpFunction } from '../shared/http/define-http-function';
import { profileSchema } from '../shared/users/user-response-schemas';

/** `GET /me`: the caller's profile; 404 until they register. */
export const me = defineHttpFunction({
  name: 'me',
  method: 'GET',
  access: 'signed-in',
  docs: {
    tag: 'Users',
    summary: "The caller's profile",
    response: { status: 200, description: 'The user and, for admins, their company.', schema: profileSchema },
    problems: ['not-found'],
  },
  handle: async ({ caller }) => {
    const { profileService } = await import('../shared/users/user-services');
    return { status: 200, body: await profileService().profileOf(caller.uid) };
  },
});
