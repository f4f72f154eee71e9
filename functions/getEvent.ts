import { getEventQuerySchema } from '../shared/events/event-schemas';
import { eventService } from '../shared/events/event-services';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `GET /getEvent?id=`: any signed-in caller reads one event with its availability and current price. */
export const getEvent = defineHttpFunction({
  name: 'getEvent',
  method: 'GET',
  access: 'signed-in',
  query: getEventQuerySchema,
  handle: async ({ query }) => ({
    status: 200,
    body: { event: await eventService().get(query.id) },
  }),
});
