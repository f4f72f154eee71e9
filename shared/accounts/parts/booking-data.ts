import type { Firestore } from 'firebase-admin/firestore';
import { isLapsedHold, toBookingResponse, type Booking } from '../../bookings/booking';
import { bookingEvent } from '../../bookings/booking-events';
import type { BookingRepository } from '../../bookings/booking-repository';
import type { Clock } from '../../time/clock';
import { runTransactionWithRetry } from '../../firebase/contention-retry';
import type { HoldReleaseService } from '../../bookings/hold-release-service';
import { IDEMPOTENCY_COLLECTION } from '../../bookings/idempotency-store';
import { USER_EVENT_HOLDS_COLLECTION } from '../../bookings/user-hold-repository';
import { logDomainEvent } from '../../logging/domain-events';
import type { TicketRepository } from '../../tickets/ticket-repository';
import type { DataSubject, ExportSections, PersonalDataPart } from '../personal-data';
import { rewriteWhere } from '../user-keyed-documents';

/** The collaborators of {@link BookingData}. */
export interface BookingDataDependencies {
  readonly db: Firestore;
  readonly bookings: BookingRepository;
  readonly holdRelease: HoldReleaseService;
  readonly tickets: TicketRepository;
  readonly clock: Clock;
}

/**
 * Bookings, the user's open-hold lists (`userEventHolds`) and remembered `book` answers (`idempotencyKeys`).
 * Bookings stay for accounting under the pseudonym; a hold still open is cancelled in the same transaction,
 * its seats going back on sale. Bookings carry no name, email or phone: the uid is their only link.
 */
export class BookingData implements PersonalDataPart {
  readonly name = 'bookings';

  constructor(private readonly deps: BookingDataDependencies) {}

  async exportOf(uid: string): Promise<ExportSections> {
    const bookings = await this.deps.bookings.allOfUser(uid);
    const codes = bookings
      .filter((booking) => booking.status === 'confirmed')
      .flatMap((booking) => (booking.tickets ?? []).map((ticket) => ticket.code));
    const states = await this.deps.tickets.statesOf(codes);
    const now = this.deps.clock.now();
    return { bookings: bookings.map((booking) => toBookingResponse(booking, now, states)) };
  }

  async erase(subject: DataSubject): Promise<void> {
    for (const booking of await this.deps.bookings.allOfUser(subject.uid)) {
      const cancelled = await this.pseudonymise(booking.id, subject);
      if (cancelled !== undefined) logDomainEvent(bookingEvent('booking.cancelled', cancelled));
    }
    // Only after every booking: ending a hold updates the user's open-hold list of its event.
    await rewriteWhere(this.deps.db, USER_EVENT_HOLDS_COLLECTION, 'userId', subject.uid, 'delete');
    await rewriteWhere(this.deps.db, IDEMPOTENCY_COLLECTION, 'userId', subject.uid, 'delete');
  }

  /**
   * Hands one booking over to the pseudonym, ending it first if it is still held; re-read in the
   * transaction, so a booking a payment confirmed meanwhile is kept confirmed. Returns the hold it cancelled.
   */
  private pseudonymise(bookingId: string, subject: DataSubject): Promise<Booking | undefined> {
    return runTransactionWithRetry(this.deps.db, async (tx) => {
      const booking = await this.deps.bookings.getIn(tx, bookingId);
      if (booking === undefined || booking.userId !== subject.uid) return undefined;
      const now = this.deps.clock.now();
      const held = booking.status === 'held';
      if (held)
        this.deps.holdRelease.endHold(tx, booking, isLapsedHold(booking, now) ? 'expired' : 'cancelled', now);
      this.deps.bookings.pseudonymise(tx, booking.id, subject.pseudonym, now);
      return held ? booking : undefined;
    });
  }
}
