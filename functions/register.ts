import { defineHttpFunction } from '../shared/http/define-http-function';
import { registerBodySchema } from '../shared/users/user-schemas';
import { registrationService } from '../shared/users/user-services';

/** `POST /register`: the signed-in Firebase user creates their profile (and, for admins, their company). */
export const register = defineHttpFunction({
  name: 'register',
  method: 'POST',
  access: 'signed-in',
  body: registerBodySchema,
  handle: async ({ caller, body }) => ({
    status: 201,
    body: await registrationService().register(caller, body),
  }),
});
