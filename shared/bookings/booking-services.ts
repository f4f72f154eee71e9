import { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import type { Firestore } from 'firebase-admin/firestore';
import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import { TicketRepository } from '../tickets/ticket-repository';
import { inventoryStore } from '../inventory/inventory-store-factory';
import type { TicketInventory } from '../inventory/inventory-store';
import { BookingRepository } from './booking-repository';
import { BookingService } from './booking-service';
import { systemClock } from '../time/clock';
import { HoldReleaseService } from './hold-release-service';
import { IdempotencyStore } from './idempotency-store';
import { InventoryReconciliation } from './inventory-reconciliation';
import { UserHoldRepository } from './user-hold-repository';
import { WaitlistRepository } from '../waitlist/waitlist-repository';
import { settleOffer, type WaitlistHooks } from '../waitlist/waitlist-hooks';
import { UserNotificationOutbox } from '../notifications/user-notification';
import { OutboxRelay } from '../pubsub/outbox-relay';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { outboxRelay } from '../pubsub/outbox-services';
import { messagePublisher } from '../pubsub/publisher-factory';

let holdReleases: HoldReleaseService | undefined;

/**
 * The waitlist as the hold release sees it. Settling an offer needs only the entries' repository; the offer
 * maker is loaded when tickets first return, so that a booking instance's first request does not load it.
 */
const waitlistHooks: WaitlistHooks = {
  settleOffer: (tx, booking, outcome, now) =>
    settleOffer(new WaitlistRepository(firestore()), tx, booking, outcome, now),
  ticketsReturned: async (eventId) => {
    const { waitlistOffers } = await import('../waitlist/waitlist-services');
    await waitlistOffers().ticketsReturned(eventId);
  },
};
let bookings: BookingService | undefined;
let reconciliation: InventoryReconciliation | undefined;

/** The hold release service wired to Firestore, built on first use. */
export function holdReleaseService(): HoldReleaseService {
  holdReleases ??= new HoldReleaseService(
    firestore(),
    new BookingRepository(firestore()),
    new UserHoldRepository(firestore()),
    inventoryStore(),
    systemClock,
    new UserNotificationOutbox(new OutboxRepository(firestore())),
    outboxRelay(),
    waitlistHooks,
  );
  return holdReleases;
}

/** The inventory reconciliation wired to Firestore, built on first use. */
export function inventoryReconciliation(): InventoryReconciliation {
  reconciliation ??= new InventoryReconciliation(
    firestore(),
    new EventRepository(firestore()),
    new BookingRepository(firestore()),
    systemClock,
  );
  return reconciliation;
}

/** The booking service wired to Firestore, built on first use. */
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
  const repository = new BookingRepository(db);
  const holds = new UserHoldRepository(db);
  return new BookingService({
    db,
    events: new EventRepository(db),
    bookings: repository,
    tickets: new TicketRepository(db),
    holds,
    idempotency: new IdempotencyStore(db),
    inventory,
    holdRelease:
      holdRelease ??
      new HoldReleaseService(
        db,
        repository,
        holds,
        inventory,
        systemClock,
        new UserNotificationOutbox(new OutboxRepository(db)),
        new OutboxRelay(new OutboxRepository(db), messagePublisher(), systemClock),
      ),
    waitlist: new WaitlistRepository(db),
    deletions: new AccountDeletionRepository(db),
    clock: systemClock,
  });
}
