import { eventEnvelopeSchema } from '../shared/events/event-response-schemas';
import { getEventQuerySchema } from '../shared/events/event-schemas';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `GET /getEvent?id=`: any signed-in caller reads one event with its availability and current price. */
export const getEvent = defineHttpFunction({
  name: 'getEvent',
  method: 'GET',
  access: 'signed-in',
  query: getEventQuerySchema,
  docs: {
    tag: 'Events',
    summary: 'Read one event',
    response: { status: 200, description: 'The event.', schema: eventEnvelopeSchema },
    problems: ['not-found'],
  },
  handle: async ({ query }) => {
    const { eventService } = await import('../shared/events/event-services');
    return { status: 200, body: { event: await eventService().get(query.id) } };
  },
});
