import { defineHttpFunction } from '../shared/http/define-http-function';
import { profileService } from '../shared/users/user-services';

/** `GET /me`: the caller's profile; 404 until they register. */
export const me = defineHttpFunction({
  name: 'me',
  method: 'GET',
  access: 'signed-in',
  handle: async ({ caller }) => ({ status: 200, body: await profileService().profileOf(caller.uid) }),
});
