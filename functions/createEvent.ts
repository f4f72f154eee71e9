import { eventEnvelopeSchema } from '../shared/events/event-response-schemas';
import { createEventBodySchema } from '../shared/events/event-schemas';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `POST /createEvent`: a company admin creates an event of their company. */
export const createEvent = defineHttpFunction({
  name: 'createEvent',
  method: 'POST',
  access: 'admin',
  body: createEventBodySchema,
  docs: {
    tag: 'Events',
    summary: "Create an event of the admin's company",
    description:
      '`startsAt` must be in the future; `surgeThreshold` ≤ `totalTickets`; `surgePrice` ≥ `basePrice`. The ' +
      "company comes from the caller's `companyId` claim.",
    response: { status: 201, description: 'Created.', schema: eventEnvelopeSchema },
  },
  handle: async ({ caller, body }) => {
    const { eventService } = await import('../shared/events/event-services');
    return { status: 201, body: { event: await eventService().create(caller, body) } };
  },
});
