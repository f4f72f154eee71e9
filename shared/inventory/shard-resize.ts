import { ConflictError } from '../errors/domain-errors';
import {
  assertValidLayout,
  type InventoryLayout,
  POOLS,
  poolSize,
  shardCountFor,
  shardId,
  shardIndex,
  splitEvenly,
  usedOf,
  type Pool,
  type ShardingPolicy,
  type ShardState,
} from './shard-layout';

/** What a resize does to the shard documents. */
export interface ResizePlan {
  /** Every shard of the new layout, in full. */
  readonly shards: readonly ShardState[];
  /** Ids of shards that no longer exist. */
  readonly removedIds: readonly string[];
}

function resizePool(
  current: readonly ShardState[],
  pool: Pool,
  size: number,
  policy: ShardingPolicy,
): ShardState[] {
  const existing = current.filter((shard) => shard.pool === pool);
  const used = existing.reduce((sum, shard) => sum + usedOf(shard), 0);
  if (used > size) {
    throw new ConflictError(
      'capacity-in-use',
      pool === 'base'
        ? `${used} base-price tickets are already held or sold: surgeThreshold cannot go below that.`
        : `${used} surge-price tickets are already held or sold: totalTickets - surgeThreshold cannot go below that.`,
    );
  }
  // Bookings return tickets to the shard they came from, so a shard holding tickets must survive as it is.
  const ids = new Set(existing.filter((shard) => usedOf(shard) > 0).map((shard) => shard.id));
  const target = shardCountFor(size, policy);
  for (let index = 0; ids.size < target; index += 1) ids.add(shardId(pool, index));
  const ordered = [...ids].sort((a, b) => shardIndex(a) - shardIndex(b));
  const shares = splitEvenly(size - used, ordered.length);
  const byId = new Map(existing.map((shard) => [shard.id, shard]));
  return ordered
    .map((id, position) => {
      const held = byId.get(id)?.held ?? 0;
      const sold = byId.get(id)?.sold ?? 0;
      return { id, pool, held, sold, capacity: held + sold + (shares[position] ?? 0) };
    })
    .filter((shard) => shard.capacity > 0);
}

/**
 * Plans moving the shards of an event to layout `next` without losing a held or sold ticket: every shard
 * that holds tickets keeps its id and counts, the free tickets of each pool are spread evenly over the
 * pool's shards again.
 *
 * @throws ConflictError `capacity-in-use` when a pool would end up smaller than its tickets already held or
 * sold (a `surgeThreshold` below the base tickets taken, or too few surge places for the surge tickets taken;
 * together these cover a `totalTickets` below held + sold).
 */
export function planResize(
  current: readonly ShardState[],
  next: InventoryLayout,
  policy: ShardingPolicy,
): ResizePlan {
  assertValidLayout(next);
  const shards = POOLS.flatMap((pool) => resizePool(current, pool, poolSize(next, pool), policy));
  const kept = new Set(shards.map((shard) => shard.id));
  return { shards, removedIds: current.map((shard) => shard.id).filter((id) => !kept.has(id)) };
}
