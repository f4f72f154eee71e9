import { defineHttpFunction } from '../shared/http/define-http-function';
import { waitlistEntriesSchema } from '../shared/waitlist/waitlist-response-schemas';

/** `GET /myWaitlist`: the caller's waitlist entries of the last 90 days, newest first. */
export const myWaitlist = defineHttpFunction({
  name: 'myWaitlist',
  method: 'GET',
  access: 'user',
  docs: {
    tag: 'Waitlist',
    summary: "The caller's waitlist entries, newest first",
    description: 'Entries of the last 90 days; `position` only while `waiting`, `bookingId` once offered.',
    response: { status: 200, description: "The caller's entries.", schema: waitlistEntriesSchema },
  },
  handle: async ({ caller }) => {
    const { sweptWaitlistService } = await import('../shared/waitlist/swept-waitlist-services');
    return { status: 200, body: await sweptWaitlistService().mine(caller.uid) };
  },
});
