import { defineHttpFunction } from '../shared/http/define-http-function';
import { ticketKeysSchema } from '../shared/tickets/check-in-response-schemas';

/** `GET /ticketKeys`: the public keys that verify ticket QR strings, for door devices; no token needed. */
export const ticketKeys = defineHttpFunction({
  name: 'ticketKeys',
  method: 'GET',
  access: 'none',
  docs: {
    tag: 'Check-in',
    summary: 'Public keys that verify ticket QR strings',
    description:
      'Ed25519 public keys as JWKs (RFC 8037): the current signing key plus every key that signed a ticket ' +
      'of an event not yet over. A door device verifies `EMT1.<payload>.<signature>` offline with the key ' +
      'whose `kid` the payload names. Cacheable for five minutes.',
    response: { status: 200, description: 'The keys.', schema: ticketKeysSchema },
  },
  handle: async () => {
    const { publishedTicketKeys } = await import('../shared/tickets/ticket-keys');
    return { status: 200, body: publishedTicketKeys(), headers: { 'Cache-Control': 'public, max-age=300' } };
  },
});
