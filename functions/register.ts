import { defineHttpFunction } from '../shared/http/define-http-function';
import { profileSchema } from '../shared/users/user-response-schemas';
import { registerBodySchema } from '../shared/users/user-schemas';

/** `POST /register`: the signed-in Firebase user creates their profile (and, for admins, their company). */
export const register = defineHttpFunction({
  name: 'register',
  method: 'POST',
  access: 'signed-in',
  body: registerBodySchema,
  docs: {
    tag: 'Users',
    summary: 'Register the signed-in Firebase user',
    description:
      'Creates the caller\'s profile (and, for `role: "admin"`, their company). The email comes from the ID ' +
      'token. The server sets the `role` and `companyId` claims: refresh the ID token afterwards. A retry with ' +
      'the same body finishes a registration whose claims were not applied yet. With `invitationId` (role ' +
      '`admin` or `staff`, no `company`) the caller joins the inviting company with the invited role: the ' +
      "token's email must be the invited one (case-insensitive) and verified (else 403); an expired, revoked " +
      'or used invitation answers 409 `invitation-not-pending`, an unknown one 404. An invitation is used ' +
      'once, even by concurrent registrations. `role: "staff"` without `invitationId` is 400.',
    response: { status: 201, description: 'Registered.', schema: profileSchema },
    problems: ['already-registered', 'username-taken', 'invitation-not-pending', 'forbidden', 'not-found'],
  },
  handle: async ({ caller, body }) => {
    const { registrationService } = await import('../shared/users/user-services');
    return { status: 201, body: await registrationService().register(caller, body) };
  },
});
