import * as z from 'zod';

/** Body of `deleteAccount`: the word the app makes its user type, so that no stray request deletes anything. */
export const deleteAccountBodySchema = z.strictObject({
  confirm: z.literal('DELETE', { error: 'Send "DELETE" to confirm that the account is to be deleted.' }),
});
