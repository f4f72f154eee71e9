import type { Firestore } from 'firebase-admin/firestore';
import type { StoredEvent } from '../../shared/events/event';
import { EventRepository } from '../../shared/events/event-repository';
import type { FirestoreInventoryStore } from '../../shared/inventory/firestore-inventory-store';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The prices and sizes of an on-sale event that tests and benchmarks choose; the rest is fixed. */
export type OnSaleShape = Pick<
  StoredEvent,
  'totalTickets' | 'surgeThreshold' | 'basePrice' | 'surgePrice' | 'maxTicketsPerBooking'
> &
  Partial<Pick<StoredEvent, 'companyId' | 'name'>>;

/**
 * Stores an event starting tomorrow with its inventory, straight through the repositories (no HTTP, no
 * admin), as booking tests and the flash-sale benchmark need one; returns its id.
 */
export async function storeEventOnSale(
  db: Firestore,
  inventory: FirestoreInventoryStore,
  shape: OnSaleShape,
): Promise<string> {
  const events = new EventRepository(db);
  const now = new Date();
  const event: StoredEvent = {
    id: events.newId(),
    companyId: 'company-on-sale',
    status: 'scheduled',
    name: 'On sale',
    description: null,
    startsAt: new Date(now.getTime() + DAY_MS),
    venue: 'Hall',
    location: { lat: 52.52, lng: 13.405 },
    currency: 'EUR',
    holdMinutes: 15,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...shape,
  };
  await db.runTransaction(async (tx) => {
    events.create(tx, event);
    inventory.initialise(tx, event.id, event);
  });
  return event.id;
}
