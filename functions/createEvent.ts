import { createEventBodySchema } from '../shared/events/event-schemas';
import { eventService } from '../shared/events/event-services';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `POST /createEvent`: a company admin creates an event of their company. */
export const createEvent = defineHttpFunction({
  name: 'createEvent',
  method: 'POST',
  access: 'admin',
  body: createEventBodySchema,
  handle: async ({ caller, body }) => ({
    status: 201,
    body: { event: await eventService().create(caller, body) },
  }),
});
