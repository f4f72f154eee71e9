import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../../shared/errors/domain-errors';
import { coalescingReads } from '../../../shared/firebase/coalesced-reads';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import type { InventoryLayout } from '../../../shared/inventory/inventory-store';
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
    const prepared = await store.prepareReservation(tx, eventId, quantity, undefined);
    prepared?.apply();
    return prepared?.reservation;
  });
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

  it('remembers what a reservation read even when a later read of its transaction fails', async () => {
    // One base shard (4 tickets) and one surge shard: a booking of 1 reads the base shard, finds it empty
    // and goes on to the surge shard, whose read fails as one wounded by an older transaction does.
    const eventId = await newInventory({ totalTickets: 10, surgeThreshold: 4 });
    await reserve(eventId, 4);
    const lost = new Error('lost the surge shard');
    const seenAfterLoss = await store.withReservationSlot(eventId, 1, undefined, async (start) => {
      await expect(
        adminFirestore().runTransaction(
          async (tx) => {
            let shardReads = 0;
            const failingWalk = new Proxy(tx, {
              get: (target, property) => {
                const value = (Reflect.get(target, property) as (...args: unknown[]) => unknown).bind(target);
                if (property !== 'getAll') return value;
                return (...refs: unknown[]) => {
                  shardReads += 1;
                  return shardReads === 1 ? value(...refs) : Promise.reject(lost);
                };
              },
            });
            await store.prepareReservation(failingWalk, eventId, 1, start);
          },
          { maxAttempts: 1 },
        ),
      ).rejects.toBe(lost);
      return store.startWithoutSlot(eventId, undefined);
    });
    expect(seenAfterLoss.baseLooksEmpty).toBe(true);
  });

  it('reads the base shards beside the layout when the base pool looks empty', async () => {
    const eventId = await newInventory({ totalTickets: 10, surgeThreshold: 4 });
    await reserve(eventId, 4);
    const requests = await store.withReservationSlot(eventId, 1, undefined, async () => {
      await reserve(eventId, 1);
      let getAlls = 0;
      await adminFirestore().runTransaction(async (tx) => {
        const counted = new Proxy(tx, {
          get: (target, property) => {
            const value = (Reflect.get(target, property) as (...args: unknown[]) => unknown).bind(target);
            if (property !== 'getAll') return value;
            return (...refs: unknown[]) => {
              getAlls += 1;
              return value(...refs);
            };
          },
        });
        const start = store.startWithoutSlot(eventId, undefined);
        const prepared = await store.prepareReservation(coalescingReads(counted), eventId, 1, start);
        expect(prepared?.reservation).toMatchObject({ baseTickets: 0, surgeTickets: 1 });
      });
      return getAlls;
    });
    // One request for the layout and the base shards, one for the surge shard the walk then needs.
    expect(requests).toBe(2);
  });

  it("claims the shards a booking takes from for its instance, but leaves another instance's live claim", async () => {
    const eventId = await newInventory({ totalTickets: 4, surgeThreshold: 4 });
    const shard = adminFirestore().doc(`events/${eventId}/inventoryShards/base-0`);
    await reserve(eventId, 1);
    const claimedBy = (await shard.get()).get('claimedBy') as string;
    expect(typeof claimedBy).toBe('string');
    expect((await shard.get()).get('claimedUntil')).toBeGreaterThan(Date.now());

    const other = new FirestoreInventoryStore(adminFirestore());
    await adminFirestore().runTransaction(async (tx) => {
      (await other.prepareReservation(tx, eventId, 1, undefined))?.apply();
    });
    expect((await shard.get()).get('claimedBy')).toBe(claimedBy);

    await shard.update({ claimedUntil: Date.now() - 1 });
    await adminFirestore().runTransaction(async (tx) => {
      (await other.prepareReservation(tx, eventId, 1, undefined))?.apply();
    });
    expect((await shard.get()).get('claimedBy')).not.toBe(claimedBy);
    expect((await shard.get()).get('held')).toBe(3);
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
