import { searchEventsQuerySchema } from '../shared/events/event-schemas';
import { eventSearchService } from '../shared/events/event-services';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `GET /searchEvents`: any signed-in caller finds events by words, date range and distance, page by page. */
export const searchEvents = defineHttpFunction({
  name: 'searchEvents',
  method: 'GET',
  access: 'signed-in',
  query: searchEventsQuerySchema,
  handle: async ({ query }) => {
    const { events, nextCursor } = await eventSearchService().search(query);
    return { status: 200, body: { events, nextCursor } };
  },
});
