import { updateEventBodySchema } from '../shared/events/event-schemas';
import { eventService } from '../shared/events/event-services';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `POST /updateEvent`: an admin of the event's company changes it, given the version they last saw. */
export const updateEvent = defineHttpFunction({
  name: 'updateEvent',
  method: 'POST',
  access: 'admin',
  body: updateEventBodySchema,
  handle: async ({ caller, body }) => ({
    status: 200,
    body: { event: await eventService().update(caller, body) },
  }),
});
