import { eventPageSchema } from '../shared/events/event-response-schemas';
import { searchEventsQuerySchema } from '../shared/events/event-schemas';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `GET /searchEvents`: any signed-in caller finds events by words, date range and distance, page by page. */
export const searchEvents = defineHttpFunction({
  name: 'searchEvents',
  method: 'GET',
  access: 'signed-in',
  query: searchEventsQuerySchema,
  docs: {
    tag: 'Events',
    summary: 'Search events',
    description:
      'Every word of `q` must match (the last one as a prefix); `from` (inclusive) and `to` (exclusive) bound ' +
      '`startsAt`, and without `from` only future events are listed; `lat`, `lng` and `radiusKm` go together. ' +
      'Ordered by `startsAt`. Follow `nextCursor` with the same filters until it is null.',
    response: { status: 200, description: 'One page of events.', schema: eventPageSchema },
  },
  handle: async ({ query }) => {
    const { eventSearchService } = await import('../shared/events/event-services');
    const { events, nextCursor } = await eventSearchService().search(query);
    return { status: 200, body: { events, nextCursor } };
  },
});
