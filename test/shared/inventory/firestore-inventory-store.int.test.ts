import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../../shared/errors/domain-errors';
import { coalescingReads } from '../../../shared/firebase/coalesced-reads';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import type { InventoryLayout } from '../../../shared/inventory/shard-layout';
import type { Reservation } from '../../../shared/inventory/ticket-reservation';
import { adminFirestore } from '../../support/firestore-admin';

const store = new FirestoreInventoryStore(adminFirestore());

async function newInventory(layout: InventoryLayout): Promise<string> {
  const eventId = randomUUID().replace(/-/g, '');
  await adminFirestore().runTransaction(async (tx) => store.initialise(tx, eventId, layout));
  return eventId;
}

async function reserve(eventId: string, quantity: number): Promise<Reservation | undefined> {
  return adminFirestore().runTransaction(async (tx) => {
    const prepared = await store.prepareReservation(tx, eventId, quantity);
    prepared?.apply();
    return prepared?.reservation;
  });
}

/** Reserves through `coalescingReads`, as bookings do, counting the read requests the transaction sends. */
async function countedReservation(
  inventory: FirestoreInventoryStore,
  eventId: string,
  quantity: number,
): Promise<{ requests: number; baseTickets: number | undefined }> {
  let requests = 0;
  const baseTickets = await adminFirestore().runTransaction(async (tx) => {
    const counted = new Proxy(tx, {
      get: (target, property) => {
        const value = (Reflect.get(target, property) as (...args: unknown[]) => unknown).bind(target);
        if (property !== 'getAll') return value;
        return (...refs: unknown[]) => {
          requests += 1;
          return value(...refs);
        };
      },
    });
    const prepared = await inventory.prepareReservation(coalescingReads(counted), eventId, quantity);
    prepared?.apply();
    return prepared?.reservation.baseTickets;
  });
  return { requests, baseTickets };
}

async function resize(eventId: string, current: InventoryLayout, next: InventoryLayout): Promise<void> {
  await adminFirestore().runTransaction(async (tx) =>
    (await store.prepareResize(tx, eventId, current, next)).apply(),
  );
}

async function availabilityOf(eventId: string) {
  return (await store.availability([eventId])).get(eventId);
}

describe('FirestoreInventoryStore', () => {
  it('answers availability from the shards and leaves out events without inventory', async () => {
    const eventId = await newInventory({ totalTickets: 100, surgeThreshold: 40 });
    const result = await store.availability([eventId, 'NoInventoryHere']);
    expect([...result.keys()]).toEqual([eventId]);
    expect(result.get(eventId)).toEqual({ availableTickets: 100, baseAvailable: 40 });
  });

  it('reserves base tickets first, then surge, and reports what is left', async () => {
    const eventId = await newInventory({ totalTickets: 10, surgeThreshold: 4 });
    expect(await reserve(eventId, 3)).toMatchObject({ baseTickets: 3, surgeTickets: 0 });
    expect(await reserve(eventId, 3)).toMatchObject({ baseTickets: 1, surgeTickets: 2 });
    expect(await availabilityOf(eventId)).toEqual({ availableTickets: 4, baseAvailable: 0 });
    expect(await reserve(eventId, 5)).toBeUndefined();
  });

  it('returns released tickets to their shards and counts sold ones as taken', async () => {
    const eventId = await newInventory({ totalTickets: 10, surgeThreshold: 10 });
    const released = await reserve(eventId, 4);
    const sold = await reserve(eventId, 2);
    await adminFirestore().runTransaction(async (tx) => {
      store.release(tx, eventId, released?.takes ?? [], 'held');
      store.markSold(tx, eventId, sold?.takes ?? []);
    });
    expect(await availabilityOf(eventId)).toEqual({ availableTickets: 8, baseAvailable: 8 });
    await adminFirestore().runTransaction(async (tx) =>
      store.release(tx, eventId, sold?.takes ?? [], 'sold'),
    );
    expect(await availabilityOf(eventId)).toEqual({ availableTickets: 10, baseAvailable: 10 });
  });

  it('reads the layout and a likely shard in one request once this process knows the event', async () => {
    const eventId = await newInventory({ totalTickets: 64, surgeThreshold: 32 });
    const fresh = new FirestoreInventoryStore(adminFirestore());
    expect(await countedReservation(fresh, eventId, 1)).toEqual({ requests: 2, baseTickets: 1 });
    expect(await countedReservation(fresh, eventId, 1)).toEqual({ requests: 1, baseTickets: 1 });
  });

  it('reads every base shard beside the layout once the base pool was seen empty', async () => {
    const eventId = await newInventory({ totalTickets: 64, surgeThreshold: 32 });
    await reserve(eventId, 32);
    expect(await countedReservation(store, eventId, 1)).toEqual({ requests: 1, baseTickets: 0 });
  });

  it('finds tickets returned to a shard this process saw empty', async () => {
    const eventId = await newInventory({ totalTickets: 10, surgeThreshold: 10 });
    const first = await reserve(eventId, 10);
    expect(await reserve(eventId, 1)).toBeUndefined();
    await adminFirestore().runTransaction(async (tx) =>
      store.release(tx, eventId, first?.takes.slice(0, 1) ?? [], 'held'),
    );
    expect(await reserve(eventId, 1)).toMatchObject({ baseTickets: 1 });
  });

  it('resizes without losing held tickets, and refuses a layout they do not fit', async () => {
    const layout = { totalTickets: 40, surgeThreshold: 20 };
    const eventId = await newInventory(layout);
    await reserve(eventId, 15);
    const grown = { totalTickets: 400, surgeThreshold: 300 };
    await resize(eventId, layout, grown);
    expect(await availabilityOf(eventId)).toEqual({ availableTickets: 385, baseAvailable: 285 });
    const shards = await adminFirestore().collection(`events/${eventId}/inventoryShards`).get();
    expect(shards.size).toBe(16 + 7);
    expect(shards.docs.reduce((sum, shard) => sum + (shard.get('held') as number), 0)).toBe(15);

    const refused = resize(eventId, grown, { totalTickets: 400, surgeThreshold: 14 });
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    expect(await availabilityOf(eventId)).toEqual({ availableTickets: 385, baseAvailable: 285 });
  });
});
