import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { BOOKINGS_COLLECTION } from '../bookings/booking-repository';

/**
 * Field of `bookings/{id}`: when a confirmed booking started waiting for its tickets. The transaction that
 * confirms a booking sets it and the one that issues its tickets removes it, so it exists exactly while a
 * paid booking has no tickets; the reconciliation finds overdue ones with one single-field range query.
 */
export const TICKETS_DUE_FIELD = 'ticketsDueAt';

/** A booking still waiting for its tickets, and since when. */
export interface BookingAwaitingTickets {
  readonly bookingId: string;
  readonly dueSince: Date;
}

/** Reads the bookings that wait for their tickets. */
export class TicketsDueRepository {
  constructor(private readonly db: Firestore) {}

  /** Bookings waiting since `dueBefore` or earlier, longest-waiting first. */
  async waitingSince(dueBefore: Date, limit: number): Promise<BookingAwaitingTickets[]> {
    const snapshot = await this.db
      .collection(BOOKINGS_COLLECTION)
      .where(TICKETS_DUE_FIELD, '<=', Timestamp.fromDate(dueBefore))
      .orderBy(TICKETS_DUE_FIELD)
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => ({
      bookingId: doc.id,
      dueSince: (doc.get(TICKETS_DUE_FIELD) as Timestamp).toDate(),
    }));
  }
}
