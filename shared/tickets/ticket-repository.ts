import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type Firestore,
  type Query,
  type Transaction,
} from 'firebase-admin/firestore';
import * as z from 'zod';
import type { Booking } from '../bookings/booking';
import { storedTimestamp } from '../firebase/stored-timestamp';
import { TICKET_STATUSES, codeHash, type TicketRecord, type TicketState } from './ticket';

/** Ticket records live in `tickets/{codeHash}`. */
export const TICKETS_COLLECTION = 'tickets';

const ticketDocument = z.object({
  id: z.string(),
  bookingId: z.string(),
  eventId: z.string(),
  companyId: z.string(),
  status: z.enum(TICKET_STATUSES),
  checkedInAt: storedTimestamp.optional(),
  refundHeldUntil: storedTimestamp.optional(),
  // Absent for an instant after a write, until the server fills in its commit time.
  updatedAt: storedTimestamp.optional(),
});

/** A ticket record with the instant of its last change, as the manifest lists it. */
export interface ManifestRecord extends TicketRecord {
  readonly updatedAt: Date | undefined;
}

function recordOf(codeHashId: string, data: unknown): ManifestRecord {
  const { updatedAt, checkedInAt, refundHeldUntil, ...fields } = ticketDocument.parse(data);
  return {
    codeHash: codeHashId,
    ...fields,
    ...(checkedInAt === undefined ? {} : { checkedInAt }),
    ...(refundHeldUntil === undefined ? {} : { refundHeldUntil }),
    updatedAt,
  };
}

/**
 * Reads and writes ticket records. Every write stamps `updatedAt` with the commit time (a server
 * timestamp), so that "changed after T" means committed after T, and a manifest read started after T
 * misses no change (docs/check-in.md).
 */
export class TicketRepository {
  constructor(private readonly db: Firestore) {}

  /** The record of the ticket with this code's hash, read in `tx` (locking it). */
  async getIn(tx: Transaction, hash: string): Promise<TicketRecord | undefined> {
    const snapshot = await tx.get(this.ref(hash));
    return snapshot.exists ? recordOf(snapshot.id, snapshot.data()) : undefined;
  }

  /** The record hash of the ticket with this id, found through the single-field index on `id`. */
  async hashOfTicket(ticketId: string): Promise<string | undefined> {
    const snapshot = await this.db
      .collection(TICKETS_COLLECTION)
      .where('id', '==', ticketId)
      .limit(1)
      .select()
      .get();
    return snapshot.docs[0]?.id;
  }

  /**
   * The states of tickets by code hash, read in `tx` when given (locking them); tickets without a record
   * are left out.
   */
  async statesOf(codes: readonly string[], tx?: Transaction): Promise<Map<string, TicketState>> {
    if (codes.length === 0) return new Map();
    const refs = codes.map((code) => this.ref(codeHash(code)));
    const snapshots = await (tx === undefined ? this.db.getAll(...refs) : tx.getAll(...refs));
    return new Map(
      snapshots
        .filter((snapshot) => snapshot.exists)
        .map((snapshot) => [snapshot.id, recordOf(snapshot.id, snapshot.data())]),
    );
  }

  /** Creates the records of a booking's tickets: `valid` while it is confirmed, `void` otherwise. */
  createAll(tx: Transaction, booking: Booking, tickets: readonly { id: string; code: string }[]): void {
    for (const ticket of tickets) {
      tx.set(this.ref(codeHash(ticket.code)), {
        id: ticket.id,
        bookingId: booking.id,
        eventId: booking.eventId,
        companyId: booking.companyId,
        status: booking.status === 'confirmed' ? 'valid' : 'void',
        updatedAt: FieldValue.serverTimestamp(),
      });
    }
  }

  /**
   * Voids a booking's tickets in the transaction that moves it out of `confirmed`. Writes only; a merge
   * keeps a first check-in's time and also writes a whole record for a ticket that never had one.
   */
  voidAll(tx: Transaction, booking: Booking): void {
    for (const ticket of booking.tickets ?? []) {
      tx.set(
        this.ref(codeHash(ticket.code)),
        {
          id: ticket.id,
          bookingId: booking.id,
          eventId: booking.eventId,
          companyId: booking.companyId,
          status: 'void',
          updatedAt: FieldValue.serverTimestamp(),
        },
        { merge: true },
      );
    }
  }

  /**
   * Holds the records `hashes` (which exist) for a refund until `until`: online check-in refuses them
   * meanwhile. Their visible state and `updatedAt` stay as they are, since the refund may still fail.
   */
  holdForRefund(tx: Transaction, hashes: readonly string[], until: Date): void {
    for (const hash of hashes) tx.update(this.ref(hash), { refundHeldUntil: Timestamp.fromDate(until) });
  }

  /** Lifts the refund hold of the records `hashes` (which exist): the refund did not go through. */
  releaseRefundHold(tx: Transaction, hashes: readonly string[]): void {
    for (const hash of hashes) tx.update(this.ref(hash), { refundHeldUntil: FieldValue.delete() });
  }

  /** Records the check-in of a ticket at `at` (its earliest scan). */
  markCheckedIn(tx: Transaction, hash: string, at: Date): void {
    tx.update(this.ref(hash), {
      status: 'checked_in',
      checkedInAt: Timestamp.fromDate(at),
      updatedAt: FieldValue.serverTimestamp(),
    });
  }

  /**
   * One page of an event's ticket records ordered by ticket id, after `afterId`; with `changedAfter`, only
   * those whose last change committed after it. One more than `limit` is read to tell if more follow.
   */
  async pageOfEvent(
    eventId: string,
    options: { limit: number; afterId: string | undefined; changedAfter: Date | undefined },
  ): Promise<{ records: ManifestRecord[]; hasMore: boolean }> {
    let query: Query = this.db.collection(TICKETS_COLLECTION).where('eventId', '==', eventId);
    if (options.changedAfter !== undefined) {
      query = query.where('updatedAt', '>', Timestamp.fromDate(options.changedAfter));
    }
    query = query.orderBy('id');
    if (options.afterId !== undefined) query = query.startAfter(options.afterId);
    const snapshot = await query.limit(options.limit + 1).get();
    const records = snapshot.docs.map((document) => recordOf(document.id, document.data()));
    return { records: records.slice(0, options.limit), hasMore: records.length > options.limit };
  }

  /** How many of an event's tickets are checked in, counted by the index without reading them. */
  async checkedInCount(eventId: string): Promise<number> {
    const snapshot = await this.db
      .collection(TICKETS_COLLECTION)
      .where('eventId', '==', eventId)
      .where('status', '==', 'checked_in')
      .count()
      .get();
    return snapshot.data().count;
  }

  private ref(hash: string): DocumentReference {
    return this.db.collection(TICKETS_COLLECTION).doc(hash);
  }
}
