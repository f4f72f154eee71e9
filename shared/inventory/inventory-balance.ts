import type { TicketState } from './inventory-store';
import { POOLS, type Pool, type ShardState } from './shard-layout';
import type { ShardTake } from './ticket-reservation';

/** What one live booking has on the shards: its allocation, held while it is a hold, sold once paid. */
export interface BookedTickets {
  readonly state: TicketState;
  readonly takes: readonly ShardTake[];
}

/** Held and sold tickets as the shard counters say and as the live bookings' allocations say. */
export interface TicketTally {
  readonly held: number;
  readonly sold: number;
  readonly heldInBookings: number;
  readonly soldInBookings: number;
}

/** The tally of one shard. */
export interface ShardBalance extends TicketTally {
  readonly shardId: string;
  readonly pool: Pool;
}

/** The tally of one price pool, summed over its shards. */
export interface PoolBalance extends TicketTally {
  readonly pool: Pool;
}

/** An event's shard counters against its live bookings. */
export interface InventoryBalance {
  readonly pools: readonly PoolBalance[];
  /** Shards whose counters differ from their bookings, shards that bookings name but that are missing included. */
  readonly unbalancedShards: readonly ShardBalance[];
}

/** Whether counters and bookings agree. */
export function isBalanced(tally: TicketTally): boolean {
  return tally.held === tally.heldInBookings && tally.sold === tally.soldInBookings;
}

/**
 * Tickets the counters hold beyond the bookings (positive: tickets withheld from sale) or short of them
 * (negative: the shards would sell tickets that bookings already have, an oversell).
 */
export function ticketDifference(tally: TicketTally): number {
  return tally.held + tally.sold - (tally.heldInBookings + tally.soldInBookings);
}

function sumOf(tallies: readonly TicketTally[]): TicketTally {
  return tallies.reduce(
    (sum, tally) => ({
      held: sum.held + tally.held,
      sold: sum.sold + tally.sold,
      heldInBookings: sum.heldInBookings + tally.heldInBookings,
      soldInBookings: sum.soldInBookings + tally.soldInBookings,
    }),
    { held: 0, sold: 0, heldInBookings: 0, soldInBookings: 0 },
  );
}

/**
 * Compares an event's shard counters with the allocations of its live bookings (docs/inventory.md,
 * Reconciliation). Both must come from one consistent read: a booking and its shard writes commit together,
 * so at any snapshot every live booking's tickets are counted on the shards it names, and nothing else is.
 */
export function inventoryBalance(
  shards: readonly ShardState[],
  bookings: readonly BookedTickets[],
): InventoryBalance {
  const byShard = new Map<string, ShardBalance>(
    shards.map((shard) => [
      shard.id,
      {
        shardId: shard.id,
        pool: shard.pool,
        held: shard.held,
        sold: shard.sold,
        heldInBookings: 0,
        soldInBookings: 0,
      },
    ]),
  );
  for (const booking of bookings) {
    for (const take of booking.takes) {
      const shard = byShard.get(take.shardId) ?? {
        shardId: take.shardId,
        pool: take.pool,
        held: 0,
        sold: 0,
        heldInBookings: 0,
        soldInBookings: 0,
      };
      byShard.set(take.shardId, {
        ...shard,
        heldInBookings: shard.heldInBookings + (booking.state === 'held' ? take.quantity : 0),
        soldInBookings: shard.soldInBookings + (booking.state === 'sold' ? take.quantity : 0),
      });
    }
  }
  const all = [...byShard.values()];
  return {
    pools: POOLS.map((pool) => ({ pool, ...sumOf(all.filter((shard) => shard.pool === pool)) })),
    unbalancedShards: all.filter((shard) => !isBalanced(shard)),
  };
}
