import type { Firestore } from 'firebase-admin/firestore';
import { BookingRepository } from '../bookings/booking-repository';
import { holdReleaseService } from '../bookings/booking-services';
import { systemClock } from '../time/clock';
import { UserHoldRepository } from '../bookings/user-hold-repository';
import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import type { TicketInventory } from '../inventory/inventory-store';
import { inventoryStore } from '../inventory/inventory-store-factory';
import { UserNotificationOutbox } from '../notifications/user-notification';
import type { OutboxRecord } from '../pubsub/outbox-repository';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { outboxRelay } from '../pubsub/outbox-services';
import { WaitlistOffers } from './waitlist-offers';
import { WaitlistRepository } from './waitlist-repository';
import type { WaitlistService } from './waitlist-service';
import { createWaitlistService } from './swept-waitlist-services';

let service: WaitlistService | undefined;
let offers: WaitlistOffers | undefined;

/**
 * The waitlist service of `joinWaitlist` and of the offers, wired to Firestore, built on first use: a join
 * releases the event's lapsed holds first, and that release publishes. The functions that publish nothing
 * use `sweptWaitlistService`.
 */
export function waitlistService(): WaitlistService {
  // Looked up per call: the hold release service is wired with this module's offers.
  service ??= createWaitlistService(firestore(), inventoryStore(), {
    releaseLapsedHoldsOfEvent: (eventId, limit) =>
      holdReleaseService().releaseLapsedHoldsOfEvent(eventId, limit),
  });
  return service;
}

/**
 * Offers over `db` and `inventory`, wired as a function instance wires them; `relay` publishes the
 * `waitlist.offered` notifications after their commit. The benchmark builds its own.
 */
export function createWaitlistOffers(
  db: Firestore,
  inventory: TicketInventory,
  relay: (record: OutboxRecord) => Promise<unknown>,
  waitlist: WaitlistService,
): WaitlistOffers {
  return new WaitlistOffers({
    db,
    events: new EventRepository(db),
    entries: new WaitlistRepository(db),
    bookings: new BookingRepository(db),
    holds: new UserHoldRepository(db),
    inventory,
    notifications: new UserNotificationOutbox(new OutboxRepository(db)),
    relay,
    waitlist,
    clock: systemClock,
  });
}

/** The offer maker wired to Firestore and Pub/Sub, built on first use. */
export function waitlistOffers(): WaitlistOffers {
  offers ??= createWaitlistOffers(
    firestore(),
    inventoryStore(),
    (record) => outboxRelay().relay(record),
    waitlistService(),
  );
  return offers;
}
