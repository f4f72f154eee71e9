import { createBookingService } from '../../../shared/bookings/booking-services';
import { EventRepository } from '../../../shared/events/event-repository';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import { storeEventOnSale } from '../../support/events-on-sale';
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

function onSale(totalTickets: number): Promise<string> {
  const { inventory } = coldInstance();
  return storeEventOnSale(adminFirestore(), inventory, {
    totalTickets,
    surgeThreshold: totalTickets,
    basePrice: 1_000,
    surgePrice: 2_000,
    maxTicketsPerBooking: 4,
  });
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
    expect(outcomes.map((outcome) => outcome.kind)).toEqual([
      'booked',
      'booked',
      'booked',
      'booked',
      'booked',
    ]);
    expect(eventReads).toHaveBeenCalledTimes(1);
    expect(availabilityReads).toHaveBeenCalledTimes(1);
  });

  it('reads again for itself when the shared read does not let the booking go ahead', async () => {
    const eventId = await onSale(2);
    const { service } = coldInstance();
    const eventReads = spyOnEventReads();
    const [small, large] = await Promise.all([
      service.book(`user-small-${eventId}`, { eventId, quantity: 1 }, undefined),
      service.book(`user-large-${eventId}`, { eventId, quantity: 3 }, undefined),
    ]);
    expect(small.kind).toBe('booked');
    expect(large).toEqual({ kind: 'sold-out' });
    expect(eventReads).toHaveBeenCalledTimes(2);
  });
});
