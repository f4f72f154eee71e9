import type { Firestore } from 'firebase-admin/firestore';
import { firestore } from '../firebase/firestore';
import { inventoryStore } from '../inventory/inventory-store-factory';
import type { TicketInventory } from '../inventory/inventory-store';
import type { BookingService } from './booking-service';
import { systemClock } from '../time/clock';
import type { HoldReleaseService } from './hold-release-service';
import type { WaitlistHooks } from '../waitlist/waitlist-hooks';
import { OutboxRelay } from '../pubsub/outbox-relay';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { outboxRelay } from '../pubsub/outbox-services';
import { messagePublisher } from '../pubsub/publisher-factory';
import { newBookingService, newHoldReleaseService, settleWaitlistOffer } from './swept-booking-services';

/**
 * The booking services of the functions that publish right after their commit (`book`, `cancelBooking`,
 * `releaseExpiredHolds`, `joinWaitlist`): their hold release relays `booking.expired` and lets the waitlist
 * offer returned tickets at once. The functions Terraform grants no topic use `swept-booking-services.ts`.
 */

let holdReleases: HoldReleaseService | undefined;

/**
 * The waitlist as the hold release sees it. Settling an offer needs only the entries' repository; the offer
 * maker is loaded when tickets first return, so that a booking instance's first request does not load it.
 */
const waitlistHooks: WaitlistHooks = {
  settleOffer: settleWaitlistOffer,
  ticketsReturned: async (eventId) => {
    const { waitlistOffers } = await import('../waitlist/waitlist-services');
    await waitlistOffers().ticketsReturned(eventId);
  },
};
let bookings: BookingService | undefined;

/** The hold release service wired to Firestore and Pub/Sub, built on first use. */
export function holdReleaseService(): HoldReleaseService {
  holdReleases ??= newHoldReleaseService(firestore(), inventoryStore(), outboxRelay(), waitlistHooks);
  return holdReleases;
}

/** The booking service wired to Firestore and Pub/Sub, built on first use. */
export function bookingService(): BookingService {
  bookings ??= createBookingService(firestore(), inventoryStore(), holdReleaseService());
  return bookings;
}

/**
 * A booking service over `db` and `inventory`, wired as a function instance wires it; the benchmark and
 * tests build several, one per simulated instance. Without `holdRelease`, it gets a hold release service
 * of its own.
 */
export function createBookingService(
  db: Firestore,
  inventory: TicketInventory,
  holdRelease?: HoldReleaseService,
): BookingService {
  return newBookingService(
    db,
    inventory,
    holdRelease ??
      newHoldReleaseService(
        db,
        inventory,
        new OutboxRelay(new OutboxRepository(db), messagePublisher(), systemClock),
      ),
  );
}
