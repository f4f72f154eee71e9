import { randomBytes } from 'node:crypto';
import type { IssuedTicket } from '../bookings/booking';

/** 128 random bits: a code nobody can guess or enumerate, short enough for a QR code. */
const CODE_BYTES = 16;

/** One fresh ticket per seat, each with its own unguessable code. */
export function newTickets(quantity: number, newId: () => string): IssuedTicket[] {
  return Array.from({ length: quantity }, () => ({
    id: newId(),
    code: randomBytes(CODE_BYTES).toString('base64url'),
  }));
}
