import { eventEnvelopeSchema } from '../shared/events/event-response-schemas';
import { updateEventBodySchema } from '../shared/events/event-schemas';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `POST /updateEvent`: an admin of the event's company changes it, given the version they last saw. */
export const updateEvent = defineHttpFunction({
  name: 'updateEvent',
  method: 'POST',
  access: 'admin',
  body: updateEventBodySchema,
  docs: {
    tag: 'Events',
    summary: "Change an event of the admin's company",
    description:
      'Send the `version` last read: another version answers 409 `stale-version`; success adds one to it. ' +
      '`totalTickets` cannot drop below the tickets held or sold (409 `capacity-in-use`); a started event ' +
      "cannot change (409 `event-started`), nor can a cancelled one (409 `event-cancelled`). Another company's " +
      'event is 404.',
    response: { status: 200, description: 'The updated event.', schema: eventEnvelopeSchema },
    problems: ['not-found', 'stale-version', 'capacity-in-use', 'event-started', 'event-cancelled'],
  },
  handle: async ({ caller, body }) => {
    const { eventService } = await import('../shared/events/event-services');
    return { status: 200, body: { event: await eventService().update(caller, body) } };
  },
});
