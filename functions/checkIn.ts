import { defineHttpFunction } from '../shared/http/define-http-function';
import { checkInResponseSchema } from '../shared/tickets/check-in-response-schemas';
import { checkInBodySchema } from '../shared/tickets/check-in-schemas';

/** `POST /checkIn`: door staff or an admin of the event's company admits one ticket, exactly once. */
export const checkIn = defineHttpFunction({
  name: 'checkIn',
  method: 'POST',
  access: 'door',
  body: checkInBodySchema,
  docs: {
    tag: 'Check-in',
    summary: 'Check a ticket in at the door',
    description:
      "`code` is a ticket's `code` or its signed `qr` string. The first scan answers 200; any later one 409 " +
      '`already-checked-in` with `checkedInAt` of the first, even when two doors scan at the same moment. ' +
      'A cancelled or refunded booking’s ticket answers 409 `ticket-void`. Unknown codes, codes of another ' +
      'event and forged or altered QR strings all answer 404.',
    response: {
      status: 200,
      description: 'The ticket, now checked in, and its holder.',
      schema: checkInResponseSchema,
    },
    problems: ['not-found', 'already-checked-in', 'ticket-void'],
  },
  handle: async ({ caller, body }) => {
    const { checkInService } = await import('../shared/tickets/check-in-services');
    return { status: 200, body: await checkInService().checkIn(caller, body) };
  },
});
