import { generateTicketKey, keyIdSchema } from '../shared/tickets/ticket-signing';

/**
 * `npm run ticket-key -- <kid>`: a new ticket signing key. The first line (private JWK) goes into Secret
 * Manager as a new version of `ticket-signing-key`; the second (public JWK) into `ticket_public_keys`
 * (docs/check-in.md, key rotation).
 */
const kid = process.argv[2];
if (!keyIdSchema.safeParse(kid).success || kid === undefined) {
  console.error('usage: npm run ticket-key -- <kid>   (1 to 64 of A-Z a-z 0-9 _ . -)');
  process.exit(2);
}
const { privateKey, publicKey } = generateTicketKey(kid);
console.log(JSON.stringify(privateKey));
console.log(JSON.stringify(publicKey));
