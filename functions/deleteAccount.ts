import { accountDeletedSchema } from '../shared/accounts/account-response-schemas';
import { deleteAccountBodySchema } from '../shared/accounts/account-schemas';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `POST /deleteAccount`: erases the caller's personal data and deletes the account (GDPR Article 17). */
export const deleteAccount = defineHttpFunction({
  name: 'deleteAccount',
  method: 'POST',
  access: 'signed-in',
  body: deleteAccountBodySchema,
  // A deletion that failed half-way is finished by retrying it with the same token.
  allowClosingAccount: true,
  docs: {
    tag: 'Account',
    summary: 'Delete the caller’s account',
    description:
      'From the first call on, every other call of the account answers 401. Deletes the profile and frees ' +
      'the username, cancels held bookings (their tickets go back on sale), removes devices and ' +
      'notifications; bookings and payments stay for accounting under an irreversible pseudonym, with no ' +
      'name, email or phone. The Firebase Auth account is deleted last: a failed attempt may be retried ' +
      'with the same token, and afterwards the token answers 401 (docs/accounts.md). 409 `active-tickets` ' +
      'while the caller holds confirmed tickets for events that have not started; 409 `last-admin` for the ' +
      'last admin of a company with scheduled events that have not started.',
    response: { status: 200, description: 'The account is deleted.', schema: accountDeletedSchema },
    problems: ['active-tickets', 'last-admin'],
  },
  handle: async ({ caller }) => {
    const { accountService } = await import('../shared/accounts/account-services');
    return { status: 200, body: await accountService().deleteAccount(caller.uid) };
  },
});
