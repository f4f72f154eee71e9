import { defineHttpFunction } from '../shared/http/define-http-function';
import { waitlistEntryEnvelopeSchema } from '../shared/waitlist/waitlist-response-schemas';
import { joinWaitlistBodySchema } from '../shared/waitlist/waitlist-schemas';

/** `POST /joinWaitlist`: a user queues for a sold-out event's returned tickets. */
export const joinWaitlist = defineHttpFunction({
  name: 'joinWaitlist',
  method: 'POST',
  access: 'user',
  body: joinWaitlistBodySchema,
  docs: {
    tag: 'Waitlist',
    summary: 'Wait for tickets of a sold-out event',
    description:
      'Succeeds exactly when `book` with this quantity would answer sold-out (lapsed holds count as free, ' +
      "tickets kept for the waitlist's offers do not), else 409 `tickets-available`. An event that has " +
      'started → 409 `event-started`; one active (waiting or offered) entry per user and event, else 409 ' +
      '`already-waiting`; a cancelled event → 409 `event-cancelled`. Returned tickets are offered in join order as `held` bookings (docs/waitlist.md).',
    response: { status: 201, description: 'The new waiting entry.', schema: waitlistEntryEnvelopeSchema },
    problems: ['not-found', 'tickets-available', 'event-started', 'already-waiting', 'event-cancelled'],
  },
  handle: async ({ caller, body }) => {
    const { waitlistService } = await import('../shared/waitlist/waitlist-services');
    return { status: 201, body: await waitlistService().join(caller.uid, body) };
  },
});
