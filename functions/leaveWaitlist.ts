import { defineHttpFunction } from '../shared/http/define-http-function';
import { waitlistEntryEnvelopeSchema } from '../shared/waitlist/waitlist-response-schemas';
import { leaveWaitlistBodySchema } from '../shared/waitlist/waitlist-schemas';

/** `POST /leaveWaitlist`: the owner leaves a waitlist they are waiting on. */
export const leaveWaitlist = defineHttpFunction({
  name: 'leaveWaitlist',
  method: 'POST',
  access: 'user',
  body: leaveWaitlistBodySchema,
  docs: {
    tag: 'Waitlist',
    summary: 'Leave a waitlist',
    description:
      '`waiting` → `left`. Any other state answers 409 `invalid-state` (an offered entry is declined by ' +
      "cancelling its booking); someone else's entry is 404.",
    response: { status: 200, description: 'The entry, now `left`.', schema: waitlistEntryEnvelopeSchema },
    problems: ['not-found', 'invalid-state'],
  },
  handle: async ({ caller, body }) => {
    const { sweptWaitlistService } = await import('../shared/waitlist/swept-waitlist-services');
    return { status: 200, body: await sweptWaitlistService().leave(caller.uid, body.entryId) };
  },
});
