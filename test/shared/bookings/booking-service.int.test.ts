import type { StoredEvent } from '../../../shared/events/event';
import { createBookingService } from '../../../shared/bookings/booking-services';
import { EventRepository } from '../../../shared/events/event-repository';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import { adminFirestore } from '../../support/firestore-admin';

/** A service as one function instance builds it, with its own (cold) inventory scheduler. */
function coldInstance() {
  const db = adminFirestore();
  const inventory = new FirestoreInventoryStore(db);
  return { events: new EventRepository(db), inventory, service: createBookingService(db, inventory) };
}

/** Counts the event reads of every booking service (each wires its own repository). */
function spyOnEventReads() {
  return jest.spyOn(EventRepository.prototype, 'find');
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
  afterEach(() => jest.restoreAllMocks());

  it('lets concurrent bookings of a cold instance share one read of the event and its tickets', async () => {
    const eventId = await onSale(50);
    const { inventory, service } = coldInstance();
    const eventReads = spyOnEventReads();
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
    const { service } = coldInstance();
    const eventReads = spyOnEventReads();
    const [small, large] = await Promise.allSettled([
      service.book(`user-small-${eventId}`, { eventId, quantity: 1 }, undefined),
      service.book(`user-large-${eventId}`, { eventId, quantity: 3 }, undefined),
    ]);
    expect(small).toMatchObject({ status: 'fulfilled', value: { status: 201 } });
    expect(large).toMatchObject({ status: 'rejected', reason: { kind: 'sold-out' } });
    expect(eventReads).toHaveBeenCalledTimes(2);
  });
});
