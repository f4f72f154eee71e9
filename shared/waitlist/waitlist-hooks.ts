import type { Transaction } from 'firebase-admin/firestore';
import type { Booking } from '../bookings/booking';
import type { OfferOutcome } from './waitlist-entry';
import type { WaitlistRepository } from './waitlist-repository';

/** What the booking engine tells the waitlist: how an offer's booking ended, and that tickets returned. */
export interface WaitlistHooks {
  /**
   * Settles the entry whose offer `booking` is (nothing for other bookings), in the transaction that ends
   * or confirms the booking. Writes only.
   */
  settleOffer(tx: Transaction, booking: Booking, outcome: OfferOutcome, now: Date): void;

  /** After a commit that returned tickets of the event to sale: offer them to its waitlist. */
  ticketsReturned(eventId: string): Promise<void>;
}

/**
 * The writes that settle the entry whose offer `booking` is (none for other bookings): its status, and its
 * active marker removed so that the user may join again.
 */
export function settleOffer(
  entries: WaitlistRepository,
  tx: Transaction,
  booking: Booking,
  outcome: OfferOutcome,
  now: Date,
): void {
  if (booking.waitlistEntryId === undefined) return;
  entries.changeStatus(tx, booking.waitlistEntryId, outcome, now);
  entries.clearActive(tx, booking.eventId, booking.userId);
}
