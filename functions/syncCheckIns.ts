import { defineHttpFunction } from '../shared/http/define-http-function';
import { syncCheckInsResponseSchema } from '../shared/tickets/check-in-response-schemas';
import { syncCheckInsBodySchema } from '../shared/tickets/check-in-schemas';

/** `POST /syncCheckIns`: a door device uploads the scans it made offline. */
export const syncCheckIns = defineHttpFunction({
  name: 'syncCheckIns',
  method: 'POST',
  access: 'door',
  body: syncCheckInsBodySchema,
  docs: {
    tag: 'Check-in',
    summary: 'Upload scans made offline',
    description:
      'Up to 200 scans per call. A scan (same `deviceId`, `code` and `scannedAt` instant) keeps the outcome ' +
      'it got first, so a batch can be re-sent after a lost answer. A ticket’s `checkedInAt` is its earliest ' +
      'scan, online or offline, whenever it is synced. A `scannedAt` more than five minutes ahead of the ' +
      "server's clock is refused (400) and nothing is applied. Another company's event answers 404.",
    response: {
      status: 200,
      description: 'One result per scan, in order.',
      schema: syncCheckInsResponseSchema,
    },
    problems: ['not-found'],
  },
  handle: async ({ caller, body }) => {
    const { checkInService } = await import('../shared/tickets/check-in-services');
    return { status: 200, body: await checkInService().sync(caller, body) };
  },
});
