import * as z from 'zod';
import { EVENT_ID_PATTERN } from '../events/event';
import { EVENT_LIMITS } from '../events/event-schemas';
import { WAITLIST_ENTRY_ID_PATTERN } from './waitlist-entry';

/**
 * Body of `POST /joinWaitlist`. As for `book`, the event's own `maxTicketsPerBooking` is checked by the
 * service; the bound here is the largest any event may set.
 */
export const joinWaitlistBodySchema = z.strictObject({
  eventId: z.string().regex(EVENT_ID_PATTERN, 'Not an event id.'),
  quantity: z.int().min(1).max(EVENT_LIMITS.maxTicketsPerBooking.max),
});

/** Body of `POST /leaveWaitlist`. */
export const leaveWaitlistBodySchema = z.strictObject({
  entryId: z.string().regex(WAITLIST_ENTRY_ID_PATTERN, 'Not a waitlist entry id.'),
});

export type JoinWaitlistBody = z.infer<typeof joinWaitlistBodySchema>;
