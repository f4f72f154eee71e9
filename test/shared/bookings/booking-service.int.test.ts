import { BookingRepository } from '../../../shared/bookings/booking-repository';
import { BookingService } from '../../../shared/bookings/booking-service';
import { systemClock } from '../../../shared/bookings/clock';
import { HoldReleaseService } from '../../../shared/bookings/hold-release-service';
import { IdempotencyStore } from '../../../shared/bookings/idempotency-store';
import { UserHoldRepository } from '../../../shared/bookings/user-hold-repository';
import type { StoredEvent } from '../../../shared/events/event';
import { EventRepository } from '../../../shared/events/event-repository';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import { adminFirestore } from '../../support/firestore-admin';

/** A service as one function instance builds it, with its own (cold) inventory scheduler. */
function coldInstance() {
  const db = adminFirestore();
  const events = new EventRepository(db);
  const bookings = new BookingRepository(db);
  const holds = new UserHoldRepository(db);
  const inventory = new FirestoreInventoryStore(db);
  const service = new BookingService({
    db,
    events,
    bookings,
    holds,
    idempotency: new IdempotencyStore(db),
    inventory,
    holdRelease: new HoldReleaseService(db, bookings, holds, inventory, systemClock),
    clock: systemClock,
  });
  return { events, inventory, service };
}

async function onSale(totalTickets: number): Promise<string> {
  const { events, inventory } = coldInstance();
  const now = new Date();
  const event: StoredEvent = {
    id: events.newId(),
    companyId: 'company-booking-service',
    name: 'Pre-read test',
    description: null,
    startsAt: new Date(now.getTime() + 24 * 60 * 60 * 1000),
    venue: 'Hall',
    location: { lat: 52.52, lng: 13.405 },
    totalTickets,
    currency: 'EUR',
    basePrice: 1_000,
    surgePrice: 2_000,
    surgeThreshold: totalTickets,
    holdMinutes: 15,
    maxTicketsPerBooking: 4,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await adminFirestore().runTransaction(async (tx) => {
    events.create(tx, event);
    inventory.initialise(tx, event.id, event);
  });
  return event.id;
}

describe('BookingService pre-reads', () => {
  it('lets concurrent bookings of a cold instance share one read of the event and its tickets', async () => {
    const eventId = await onSale(50);
    const { events, inventory, service } = coldInstance();
    const eventReads = jest.spyOn(events, 'find');
    const availabilityReads = jest.spyOn(inventory, 'availability');
    const outcomes = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((user) =>
        service.book(`user-${user}-${eventId}`, { eventId, quantity: 1 }, undefined),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([201, 201, 201, 201, 201]);
    expect(eventReads).toHaveBeenCalledTimes(1);
    expect(availabilityReads).toHaveBeenCalledTimes(1);
  });

  it('reads again for itself when the shared read does not let the booking go ahead', async () => {
    const eventId = await onSale(2);
    const { events, service } = coldInstance();
    const eventReads = jest.spyOn(events, 'find');
    const [small, large] = await Promise.allSettled([
      service.book(`user-small-${eventId}`, { eventId, quantity: 1 }, undefined),
      service.book(`user-large-${eventId}`, { eventId, quantity: 3 }, undefined),
    ]);
    expect(small).toMatchObject({ status: 'fulfilled', value: { status: 201 } });
    expect(large).toMatchObject({ status: 'rejected', reason: { kind: 'sold-out' } });
    expect(eventReads).toHaveBeenCalledTimes(2);
  });
});
