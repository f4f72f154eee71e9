import { eventEnvelopeSchema } from '../shared/events/event-response-schemas';
import { cancelEventBodySchema } from '../shared/events/event-schemas';
import { defineHttpFunction } from '../shared/http/define-http-function';

/**
 * `POST /cancelEvent`: an admin of the event's company cancels it, given the version they last saw; its
 * bookings are then cancelled and refunded in the background (docs/cancellation.md).
 */
export const cancelEvent = defineHttpFunction({
  name: 'cancelEvent',
  method: 'POST',
  access: 'admin',
  body: cancelEventBodySchema,
  docs: {
    tag: 'Events',
    summary: "Cancel an event of the admin's company",
    description:
      'Send the `version` last read and a `reason` (shown to the buyers). The event becomes `cancelled` at ' +
      'once (its `version` grows by one) and nothing books, pays or changes it any more; in the background ' +
      'every held booking becomes `cancelled`, every confirmed one `refund_pending` and then `refunded` (or ' +
      '`refund_failed` when Stripe fails the refund), and each affected buyer is notified once; `eventSales` ' +
      'shows the progress. 409 `event-cancelled` when already cancelled, `event-started` once it began, ' +
      "`stale-version` for another version. Another company's event is 404.",
    response: { status: 200, description: 'The cancelled event.', schema: eventEnvelopeSchema },
    problems: ['not-found', 'event-cancelled', 'event-started', 'stale-version'],
  },
  handle: async ({ caller, body }) => {
    const { eventService } = await import('../shared/events/event-services');
    return { status: 200, body: { event: await eventService().cancel(caller, body) } };
  },
});
