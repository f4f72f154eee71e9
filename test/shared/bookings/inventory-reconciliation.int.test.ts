import { FieldValue } from 'firebase-admin/firestore';
import { createBookingService } from '../../../shared/bookings/booking-services';
import { BookingRepository } from '../../../shared/bookings/booking-repository';
import { systemClock } from '../../../shared/time/clock';
import {
  INVENTORY_IMBALANCE_MESSAGE,
  InventoryReconciliation,
} from '../../../shared/bookings/inventory-reconciliation';
import { EventRepository } from '../../../shared/events/event-repository';
import { InventoryPaths } from '../../../shared/inventory/inventory-documents';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import { logger } from '../../../shared/logging/logger';
import { storeEventOnSale } from '../../support/events-on-sale';
import { bookedOf } from '../../support/bookings';
import { adminFirestore } from '../../support/firestore-admin';
import { callFunction } from '../../support/http-client';

const db = adminFirestore();
const reconciliation = new InventoryReconciliation(
  db,
  new EventRepository(db),
  new BookingRepository(db),
  systemClock,
);

function onSale(totalTickets: number): Promise<string> {
  return storeEventOnSale(db, new FirestoreInventoryStore(db), {
    totalTickets,
    surgeThreshold: totalTickets / 2,
    basePrice: 1_000,
    surgePrice: 2_000,
    maxTicketsPerBooking: 4,
  });
}

function imbalanceLines(errors: jest.SpyInstance, eventId: string): unknown[] {
  return errors.mock.calls.filter(
    ([message, fields]) => message === INVENTORY_IMBALANCE_MESSAGE && fields?.eventId === eventId,
  );
}

describe('InventoryReconciliation', () => {
  let errors: jest.SpyInstance;

  beforeEach(() => {
    errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs nothing for an event whose shards hold exactly what its live bookings took', async () => {
    const eventId = await onSale(20);
    const service = createBookingService(db, new FirestoreInventoryStore(db));
    const booked = await Promise.all(
      ['a', 'b', 'c'].map((user) =>
        service.book(`user-${user}-${eventId}`, { eventId, quantity: 4 }, undefined),
      ),
    );
    const [first] = booked.map(bookedOf);
    await service.cancelBooking(`user-a-${eventId}`, first?.id ?? '');

    const balance = await reconciliation.reconcileEvent(eventId);

    expect(balance.unbalancedShards).toEqual([]);
    expect(balance.pools.reduce((sum, pool) => sum + pool.held, 0)).toBe(8);
    expect(imbalanceLines(errors, eventId)).toEqual([]);
  });

  it('logs an ERROR line with the event id and the difference when a shard counter was tampered with', async () => {
    const eventId = await onSale(20);
    const service = createBookingService(db, new FirestoreInventoryStore(db));
    await service.book(`user-${eventId}`, { eventId, quantity: 2 }, undefined);
    const shards = await new InventoryPaths(db).shards(eventId).where('pool', '==', 'base').limit(1).get();
    await shards.docs[0]?.ref.update({
      held: FieldValue.increment(1),
      baseRemaining: FieldValue.increment(-1),
    });

    const balance = await reconciliation.reconcileEvent(eventId);

    expect(balance.unbalancedShards).toHaveLength(1);
    expect(imbalanceLines(errors, eventId)).toEqual([
      [
        INVENTORY_IMBALANCE_MESSAGE,
        expect.objectContaining({
          eventId,
          ticketDifference: 1,
          pools: [
            expect.objectContaining({ pool: 'base', held: 3, heldInBookings: 2, ticketDifference: 1 }),
            expect.objectContaining({ pool: 'surge', ticketDifference: 0 }),
          ],
          unbalancedShards: [
            expect.objectContaining({ shardId: shards.docs[0]?.id, held: expect.any(Number) }),
          ],
        }),
      ],
    ]);
  });

  it('reports no false difference while bookings commit during the checks', async () => {
    const eventId = await onSale(40);
    const service = createBookingService(db, new FirestoreInventoryStore(db));
    let booking = true;
    const bookOneAfterAnother = async (): Promise<void> => {
      for (let user = 0; user < 20; user += 1) {
        await service.book(`user-${user}-${eventId}`, { eventId, quantity: 2 }, undefined);
      }
      booking = false;
    };
    const checkWhileBooking = async (): Promise<number> => {
      let checks = 0;
      for (; booking; checks += 1) await reconciliation.reconcileEvent(eventId);
      return checks;
    };
    const [, checks] = await Promise.all([bookOneAfterAnother(), checkWhileBooking()]);
    expect(checks).toBeGreaterThan(1);
    const balance = await reconciliation.reconcileEvent(eventId);
    expect(balance.pools.reduce((sum, pool) => sum + pool.held, 0)).toBe(40);
    expect(imbalanceLines(errors, eventId)).toEqual([]);
  });
});

describe('POST /reconcileInventory', () => {
  it('checks the upcoming events and answers what it found', async () => {
    await onSale(4);
    const response = await callFunction<{
      checkedEvents: number;
      unbalancedEvents: number;
      failedEvents: number;
    }>('reconcileInventory', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.body.checkedEvents).toBeGreaterThan(0);
    expect(response.body.failedEvents).toBe(0);
  });
});
