import { defineHttpFunction } from '../shared/http/define-http-function';
import { checkInManifestSchema } from '../shared/tickets/check-in-response-schemas';
import { checkInManifestQuerySchema } from '../shared/tickets/check-in-schemas';

/** `GET /checkInManifest`: an event's tickets for a door device that must work offline. */
export const checkInManifest = defineHttpFunction({
  name: 'checkInManifest',
  method: 'GET',
  access: 'door',
  query: checkInManifestQuerySchema,
  docs: {
    tag: 'Check-in',
    summary: "Download an event's tickets for offline check-in",
    description:
      'Ordered by ticket id, `limit` 1 to 1000 (default 500). A device matches a scanned code by its SHA-256 ' +
      '(`codeHash`) and never learns the codes. With `since` (an earlier `generatedAt`), only tickets whose ' +
      "status changed after it. Another company's event answers 404.",
    response: { status: 200, description: 'One page of tickets.', schema: checkInManifestSchema },
    problems: ['not-found'],
  },
  handle: async ({ caller, query }) => {
    const { checkInService } = await import('../shared/tickets/check-in-services');
    return { status: 200, body: await checkInService().manifest(caller, query) };
  },
});
