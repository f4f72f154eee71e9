import { poolSize, remainingOf, usedOf, type Pool } from '../../../shared/inventory/shard-layout';
import type { InventoryModel } from './inventory-model';

/** Tickets of a pool in the model that are still on sale. */
export function remainingIn(model: InventoryModel, pool: Pool): number {
  return [...model.shards.values()]
    .filter((shard) => shard.pool === pool)
    .reduce((sum, shard) => sum + remainingOf(shard), 0);
}

/** Tickets of a pool in the model that are held or sold. */
export function usedIn(model: InventoryModel, pool: Pool): number {
  return [...model.shards.values()]
    .filter((shard) => shard.pool === pool)
    .reduce((sum, shard) => sum + usedOf(shard), 0);
}

/**
 * The inventory invariants: shard counters in range, each pool exactly the size the layout gives it (so
 * held + sold <= totalTickets and base tickets <= surgeThreshold), and every shard's held and sold counts
 * equal to what the live bookings say they took from it (no ticket lost or invented).
 */
export function expectInventoryInvariants(model: InventoryModel): void {
  for (const shard of model.shards.values()) {
    expect(shard.held).toBeGreaterThanOrEqual(0);
    expect(shard.sold).toBeGreaterThanOrEqual(0);
    expect(shard.capacity).toBeGreaterThan(0);
    expect(usedOf(shard)).toBeLessThanOrEqual(shard.capacity);
  }
  for (const pool of ['base', 'surge'] as const) {
    const capacity = [...model.shards.values()]
      .filter((shard) => shard.pool === pool)
      .reduce((sum, shard) => sum + shard.capacity, 0);
    expect(capacity).toBe(poolSize(model.layout, pool));
  }
  const ledger = new Map<string, { held: number; sold: number }>();
  for (const booking of model.bookings) {
    if (booking.state === 'returned') continue;
    for (const take of booking.takes) {
      const entry = ledger.get(take.shardId) ?? { held: 0, sold: 0 };
      entry[booking.state] += take.quantity;
      ledger.set(take.shardId, entry);
    }
  }
  for (const shard of model.shards.values()) {
    expect({ held: shard.held, sold: shard.sold }).toEqual(ledger.get(shard.id) ?? { held: 0, sold: 0 });
  }
  for (const shardId of ledger.keys()) expect(model.shards.has(shardId)).toBe(true);
}
