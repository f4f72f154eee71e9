/** How an event's tickets are split between the two price tiers. */
export interface InventoryLayout {
  readonly totalTickets: number;
  /** The first `surgeThreshold` tickets sell at the base price, the rest at the surge price. */
  readonly surgeThreshold: number;
}

/** The two price tiers of an event's tickets; each is stored in shards of its own. */
export type Pool = 'base' | 'surge';

/** Both pools, base first: the order in which tickets are sold. */
export const POOLS: readonly Pool[] = ['base', 'surge'];

/** One inventory shard: a slice of one pool's tickets. */
export interface ShardState {
  readonly id: string;
  readonly pool: Pool;
  /** Tickets this shard owns, whatever their state. */
  readonly capacity: number;
  readonly held: number;
  readonly sold: number;
}

/**
 * How finely pools are split. More shards mean more bookings in parallel (each shard takes about one
 * committed write at a time) but more reads once shards run low, so small pools get few shards.
 */
export interface ShardingPolicy {
  /** Upper bound on shards per pool. */
  readonly maxShardsPerPool: number;
  /** A pool gets one shard per this many tickets (rounded up) until the bound. */
  readonly ticketsPerShard: number;
}

/** The production policy; see docs/inventory.md for the capacity it buys. */
export const DEFAULT_SHARDING_POLICY: ShardingPolicy = { maxShardsPerPool: 16, ticketsPerShard: 16 };

/** Tickets of a shard that are neither held nor sold. */
export function remainingOf(shard: ShardState): number {
  return shard.capacity - shard.held - shard.sold;
}

/** Tickets of a shard that are held or sold. */
export function usedOf(shard: ShardState): number {
  return shard.held + shard.sold;
}

/** Tickets a layout gives to a pool: the first `surgeThreshold` are base, the rest surge. */
export function poolSize(layout: InventoryLayout, pool: Pool): number {
  return pool === 'base' ? layout.surgeThreshold : layout.totalTickets - layout.surgeThreshold;
}

/** Shards for a pool of `size` tickets: at least one for a non-empty pool, never more than its tickets. */
export function shardCountFor(size: number, policy: ShardingPolicy): number {
  if (size <= 0) return 0;
  return Math.min(policy.maxShardsPerPool, Math.ceil(size / policy.ticketsPerShard), size);
}

/** Splits `total` into `parts` integers that differ by at most one, larger ones first. */
export function splitEvenly(total: number, parts: number): number[] {
  if (parts === 0) return [];
  const share = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, index) => share + (index < extra ? 1 : 0));
}

/** The document id of a pool's shard number `index` (`base-0`, `surge-3`). */
export function shardId(pool: Pool, index: number): string {
  return `${pool}-${index}`;
}

/** The number in a shard id, for a stable order. */
export function shardIndex(id: string): number {
  return Number(id.slice(id.lastIndexOf('-') + 1));
}

/** Throws unless the layout is one the contract allows: integers with `0 < surgeThreshold <= totalTickets`. */
export function assertValidLayout(layout: InventoryLayout): void {
  const { totalTickets, surgeThreshold } = layout;
  if (!Number.isSafeInteger(totalTickets) || !Number.isSafeInteger(surgeThreshold)) {
    throw new RangeError('Inventory layouts count whole tickets.');
  }
  if (surgeThreshold <= 0 || surgeThreshold > totalTickets) {
    throw new RangeError('An inventory layout needs 0 < surgeThreshold <= totalTickets.');
  }
}

/** The shards of a new event: each pool split evenly, nothing held or sold. */
export function initialShards(layout: InventoryLayout, policy: ShardingPolicy): ShardState[] {
  assertValidLayout(layout);
  return POOLS.flatMap((pool) => {
    const size = poolSize(layout, pool);
    return splitEvenly(size, shardCountFor(size, policy)).map((capacity, index) => ({
      id: shardId(pool, index),
      pool,
      capacity,
      held: 0,
      sold: 0,
    }));
  });
}
