import { getConfig } from '../config/config';
import type { PublicTicketKey } from './ticket-signing';

/**
 * The public ticket keys door devices verify QR strings with: the configured list, which holds the current
 * signing key and every retired key whose tickets are still in use (docs/check-in.md, key rotation).
 */
export function publishedTicketKeys(): { keys: PublicTicketKey[] } {
  return {
    keys: getConfig()
      .ticketPublicKeys()
      .map(({ kid, kty, crv, x }) => ({ kid, kty, crv, x })),
  };
}
