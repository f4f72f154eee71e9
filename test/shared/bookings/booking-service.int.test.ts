import { createBookingService } from '../../../shared/bookings/booking-services';
import { EventRepository } from '../../../shared/events/event-repository';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import { storeEventOnSale } from '../../support/events-on-sale';
import { bookedOf } from '../../support/bookings';
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

describe('BookingService outcomes', () => {
  it('returns the hold, its replay and the refusals of the rules, and stores nothing for a refusal', async () => {
    const eventId = await onSale(10);
    const { service } = coldInstance();
    const user = `user-${eventId}`;
    const first = await service.book(user, { eventId, quantity: 3 }, 'key-1');
    const held = bookedOf(first);

    const replay = await service.book(user, { eventId, quantity: 3 }, 'key-1');
    expect(replay).toMatchObject({ kind: 'replayed', response: { status: 201 } });
    expect(replay.kind === 'replayed' && JSON.parse(replay.response.body)).toEqual({ booking: held });
    expect(await service.book(user, { eventId, quantity: 2 }, 'key-1')).toEqual({
      kind: 'idempotency-key-reused',
    });
    expect(await service.book(user, { eventId, quantity: 2 }, undefined)).toEqual({
      kind: 'hold-limit-reached',
      held: 3,
      maxTicketsPerBooking: 4,
    });
    expect(await service.book(user, { eventId, quantity: 5 }, undefined)).toEqual({
      kind: 'too-many-tickets',
      maxTicketsPerBooking: 4,
    });
    expect(await service.book(user, { eventId: `${eventId}x`, quantity: 1 }, undefined)).toEqual({
      kind: 'event-not-found',
    });
    const stored = await adminFirestore().collection('bookings').where('userId', '==', user).get();
    expect(stored.docs.map((doc) => doc.id)).toEqual([held.id]);
  });

  it('cancels an own open hold once, and says why it does not otherwise', async () => {
    const eventId = await onSale(10);
    const { service } = coldInstance();
    const user = `user-${eventId}`;
    const held = bookedOf(await service.book(user, { eventId, quantity: 1 }, undefined));

    expect(
      await service.getBooking({ uid: 'stranger', role: 'user', companyId: undefined }, held.id),
    ).toEqual({
      kind: 'booking-not-found',
    });
    expect(await service.cancelBooking('stranger', held.id)).toEqual({ kind: 'booking-not-found' });
    expect(await service.cancelBooking(user, held.id)).toMatchObject({
      kind: 'cancelled',
      booking: { id: held.id, status: 'cancelled' },
    });
    expect(await service.cancelBooking(user, held.id)).toEqual({ kind: 'not-held', status: 'cancelled' });
    expect(
      await service.getBooking({ uid: user, role: 'user', companyId: undefined }, held.id),
    ).toMatchObject({
      kind: 'found',
      booking: { id: held.id, status: 'cancelled' },
    });
  });
});
