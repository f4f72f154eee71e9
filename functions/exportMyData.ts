import { personalDataExportSchema } from '../shared/accounts/account-response-schemas';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `GET /exportMyData`: everything stored about the caller (GDPR Articles 15 and 20). */
export const exportMyData = defineHttpFunction({
  name: 'exportMyData',
  method: 'GET',
  access: 'signed-in',
  docs: {
    tag: 'Account',
    summary: 'Export everything stored about the caller',
    description:
      'The profile, the company of admins and staff, every booking and payment attempt, waitlist entries, ' +
      'push devices and the notification inbox, as JSON (docs/accounts.md). 404 until the account registers.',
    response: {
      status: 200,
      description: 'Everything stored about the caller.',
      schema: personalDataExportSchema,
    },
    problems: ['not-found'],
  },
  handle: async ({ caller }) => {
    const { accountService } = await import('../shared/accounts/account-services');
    return { status: 200, body: await accountService().exportOf(caller.uid) };
  },
});
