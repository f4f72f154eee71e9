import { createHash } from 'node:crypto';
import type { BookingStatus } from '../bookings/booking';

/** What a ticket's door state can be; `void` once its booking left `confirmed`. */
export const TICKET_STATUSES = ['valid', 'checked_in', 'void'] as const;

/** One of {@link TICKET_STATUSES}. */
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * A ticket's door record, stored in `tickets/{codeHash}` so that a scanned code finds its ticket with one
 * document read and every check-in of the ticket locks that one document.
 */
export interface TicketRecord {
  readonly codeHash: string;
  readonly id: string;
  readonly bookingId: string;
  readonly eventId: string;
  readonly companyId: string;
  readonly status: TicketStatus;
  /** The earliest scan that admitted the ticket. */
  readonly checkedInAt?: Date;
  /** Set while its booking's refund is being requested: the door refuses it until then (docs/check-in.md). */
  readonly refundHeldUntil?: Date;
}

/** The door state of a ticket as clients see it. */
export interface TicketState {
  readonly status: TicketStatus;
  readonly checkedInAt?: Date;
}

/** The lowercase hex SHA-256 of a ticket's code: its record's id, and `codeHash` in the manifest. */
export function codeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/**
 * A ticket's state given its booking's: a booking that left `confirmed` voids its tickets whatever their
 * record says (the record follows in the same transaction, but a reader never relies on that).
 */
export function visibleTicketState(
  bookingStatus: BookingStatus,
  record: TicketState | undefined,
): TicketState {
  const checkedIn = record?.checkedInAt === undefined ? {} : { checkedInAt: record.checkedInAt };
  if (bookingStatus !== 'confirmed' || record?.status === 'void') return { status: 'void', ...checkedIn };
  return record === undefined ? { status: 'valid' } : { status: record.status, ...checkedIn };
}
