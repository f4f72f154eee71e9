import type { Firestore } from 'firebase-admin/firestore';
import { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import type { TicketInventory } from '../inventory/inventory-store';
import { inventoryStore } from '../inventory/inventory-store-factory';
import { UserNotificationOutbox } from '../notifications/user-notification';
import { leaveToSweeper, type OutboxRelay } from '../pubsub/outbox-relay';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { TicketRepository } from '../tickets/ticket-repository';
import { systemClock } from '../time/clock';
import { settleOffer, type WaitlistHooks } from '../waitlist/waitlist-hooks';
import { WaitlistRepository } from '../waitlist/waitlist-repository';
import { BookingRepository } from './booking-repository';
import { BookingService } from './booking-service';
import { HoldReleaseService } from './hold-release-service';
import { IdempotencyStore } from './idempotency-store';
import { UserHoldRepository } from './user-hold-repository';

/**
 * Wiring for the functions that Terraform grants no Pub/Sub topic (decision 270): none of their requests
 * publishes right after its commit, so their bundles must hold no Pub/Sub client. Nothing here imports the
 * publisher; what a hold release would announce right after its commit is left to the sweepers instead
 * (`sweepOutbox` publishes the outbox, `offerWaitlistTickets` offers returned tickets within the minute).
 * `booking-services.ts` wires the same services for the functions that do publish.
 */

/** Settles the waitlist entry of an offer's booking in the transaction that ends or confirms it. */
export const settleWaitlistOffer: WaitlistHooks['settleOffer'] = (tx, booking, outcome, now) =>
  settleOffer(new WaitlistRepository(firestore()), tx, booking, outcome, now);

/**
 * The waitlist as a hold release without Pub/Sub sees it: offers are settled in the transaction, and
 * tickets that return wait for the waitlist's sweep, which would have offered them anyway had an
 * immediate offer failed.
 */
const sweptWaitlistHooks: WaitlistHooks = {
  settleOffer: settleWaitlistOffer,
  ticketsReturned: () => Promise.resolve(),
};

let holdReleases: HoldReleaseService | undefined;
let reader: BookingService | undefined;

/**
 * A booking service over `db`, `inventory` and `holdRelease`, wired as a function instance wires it; the
 * functions that publish pass a hold release that publishes.
 */
export function newBookingService(
  db: Firestore,
  inventory: TicketInventory,
  holdRelease: HoldReleaseService,
): BookingService {
  return new BookingService({
    db,
    events: new EventRepository(db),
    bookings: new BookingRepository(db),
    tickets: new TicketRepository(db),
    holds: new UserHoldRepository(db),
    idempotency: new IdempotencyStore(db),
    inventory,
    holdRelease,
    waitlist: new WaitlistRepository(db),
    deletions: new AccountDeletionRepository(db),
    clock: systemClock,
  });
}

/**
 * A hold release over `db` and `inventory` whose after-commit announcements go through `relay`, and which
 * tells `waitlist` (when given) how offers end and that tickets returned.
 */
export function newHoldReleaseService(
  db: Firestore,
  inventory: TicketInventory,
  relay: Pick<OutboxRelay, 'relay'>,
  waitlist?: WaitlistHooks,
): HoldReleaseService {
  return new HoldReleaseService(
    db,
    new BookingRepository(db),
    new UserHoldRepository(db),
    inventory,
    systemClock,
    new UserNotificationOutbox(new OutboxRepository(db)),
    relay,
    waitlist,
  );
}

/**
 * The hold release of the functions without a publish grant, built on first use: it ends holds (account
 * deletion, event cancellation) and writes what it announces to the outbox, for `sweepOutbox` to publish.
 */
export function sweptHoldReleaseService(): HoldReleaseService {
  holdReleases ??= newHoldReleaseService(firestore(), inventoryStore(), leaveToSweeper, sweptWaitlistHooks);
  return holdReleases;
}

/** The booking service of the functions that only read bookings (`getBooking`, `myBookings`). */
export function bookingReader(): BookingService {
  reader ??= newBookingService(firestore(), inventoryStore(), sweptHoldReleaseService());
  return reader;
}
