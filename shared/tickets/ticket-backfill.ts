import { FieldPath, type Firestore } from 'firebase-admin/firestore';
import type { Booking } from '../bookings/booking';
import { BOOKINGS_COLLECTION, type BookingRepository } from '../bookings/booking-repository';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { codeHash } from './ticket';
import type { TicketRepository } from './ticket-repository';
import type { TicketSigner } from './ticket-signing';

/** What one backfill run did. */
export interface BackfillReport {
  /** Bookings read. */
  readonly scanned: number;
  /** Bookings whose tickets got a `qr` or a door record. */
  readonly completed: number;
}

/**
 * Gives tickets issued before signing existed their `qr` and their door record (`tickets/{codeHash}`),
 * without re-issuing them: codes and ids stay. Each booking is completed in its own transaction that reads
 * what is already there, so a run can stop anywhere and be run again, and bookings the run meets already
 * complete (or issued meanwhile by `issueTickets`) are left alone.
 */
export class TicketBackfill {
  constructor(
    private readonly db: Firestore,
    private readonly bookings: BookingRepository,
    private readonly tickets: TicketRepository,
    private readonly signer: TicketSigner,
  ) {}

  /** Walks every booking once, `pageSize` at a time, in id order. */
  async run(pageSize = 300): Promise<BackfillReport> {
    let scanned = 0;
    let completed = 0;
    let after: string | undefined;
    for (;;) {
      let query = this.db.collection(BOOKINGS_COLLECTION).orderBy(FieldPath.documentId()).select('tickets');
      if (after !== undefined) query = query.startAfter(after);
      const page = await query.limit(pageSize).get();
      for (const document of page.docs) {
        scanned += 1;
        if (Array.isArray(document.get('tickets')) && (await this.complete(document.id))) completed += 1;
      }
      after = page.docs.at(-1)?.id;
      if (page.size < pageSize) return { scanned, completed };
    }
  }

  /** Signs the booking's unsigned tickets and records the unrecorded ones; false if nothing was missing. */
  private complete(bookingId: string): Promise<boolean> {
    return runTransactionWithRetry(this.db, async (tx) => {
      const booking = await this.bookings.getIn(tx, bookingId);
      const tickets = booking?.tickets ?? [];
      if (booking === undefined || tickets.length === 0) return false;
      const states = await this.tickets.statesOf(
        tickets.map((ticket) => ticket.code),
        tx,
      );
      const unrecorded = tickets.filter((ticket) => !states.has(codeHash(ticket.code)));
      const unsigned = tickets.some((ticket) => ticket.qr === undefined);
      if (unrecorded.length === 0 && !unsigned) return false;
      if (unsigned)
        tx.update(this.db.collection(BOOKINGS_COLLECTION).doc(booking.id), { tickets: this.signed(booking) });
      this.tickets.createAll(tx, booking, unrecorded);
      return true;
    });
  }

  private signed(booking: Booking): Booking['tickets'] {
    return booking.tickets?.map((ticket) => ({
      ...ticket,
      qr: ticket.qr ?? this.signer.qr(ticket.id, booking.eventId),
    }));
  }
}
