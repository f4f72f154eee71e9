import { remainingOf, type Pool, type ShardState } from './shard-layout';

/** Tickets a booking took from one shard; stored on the booking so they go back where they came from. */
export interface ShardTake {
  readonly shardId: string;
  readonly pool: Pool;
  readonly quantity: number;
}

/** The tickets one booking reserved, base-price ones first. */
export interface Reservation {
  readonly takes: readonly ShardTake[];
  readonly baseTickets: number;
  readonly surgeTickets: number;
}

/** A pool's shard ids, as the event's inventory layout lists them. */
export interface PoolShardIds {
  readonly base: readonly string[];
  readonly surge: readonly string[];
}

/** Reads shards (inside the booking transaction); returns them in the order asked. */
export type ShardReader = (ids: readonly string[]) => Promise<readonly ShardState[]>;

/**
 * The shard of a pool a booking reads first, or undefined to read the whole pool at once (every shard was
 * last seen empty). Only a hint: what a booking may take rests on what it reads.
 */
export type FirstShard = (ids: readonly string[]) => string | undefined;

function sumRemaining(shards: readonly ShardState[]): number {
  return shards.reduce((sum, shard) => sum + remainingOf(shard), 0);
}

/**
 * Reads one shard of the pool and, only if it holds fewer than `needed` tickets, all the others in one
 * request. A transaction locks what it reads, so one shard per booking is what lets bookings run in
 * parallel; a booking at a pool's last tickets locks the pool for one round trip instead of one per shard.
 */
async function readPool(
  ids: readonly string[],
  needed: number,
  read: ShardReader,
  first: FirstShard,
): Promise<ShardState[]> {
  const start = first(ids);
  const shards = start === undefined ? [] : [...(await read([start]))];
  if (sumRemaining(shards) >= needed) return shards;
  const rest = ids.filter((id) => id !== start);
  return rest.length === 0 ? shards : [...shards, ...(await read(rest))];
}

function take(shards: readonly ShardState[], wanted: number): ShardTake[] {
  const takes: ShardTake[] = [];
  let missing = wanted;
  for (const shard of shards) {
    const quantity = Math.min(missing, remainingOf(shard));
    if (quantity > 0) takes.push({ shardId: shard.id, pool: shard.pool, quantity });
    missing -= quantity;
  }
  return takes;
}

function ticketsIn(takes: readonly ShardTake[]): number {
  return takes.reduce((sum, shardTake) => sum + shardTake.quantity, 0);
}

/**
 * Decides which shards a booking of `quantity` tickets takes from, given the shards it read. Surge tickets
 * are only ever taken when `base` holds every base shard: a buyer never pays surge while a base-price ticket
 * is on sale. Returns undefined when the shards do not hold enough tickets.
 */
export function allocate(
  quantity: number,
  base: readonly ShardState[],
  surge: readonly ShardState[],
  baseShardCount: number,
): Reservation | undefined {
  const baseTakes = take(base, quantity);
  const baseTickets = ticketsIn(baseTakes);
  if (baseTickets === quantity) return { takes: baseTakes, baseTickets, surgeTickets: 0 };
  if (new Set(base.map((shard) => shard.id)).size !== baseShardCount) return undefined;
  const surgeTakes = take(surge, quantity - baseTickets);
  const surgeTickets = ticketsIn(surgeTakes);
  if (baseTickets + surgeTickets < quantity) return undefined;
  return { takes: [...baseTakes, ...surgeTakes], baseTickets, surgeTickets };
}

/**
 * Reserves `quantity` tickets: from one base shard when it has them, else from the whole base pool, and
 * only once every base shard was read and found short, from the surge pool likewise. Every conclusion rests
 * on what `read` returned inside the transaction, whichever shard `first` chose. Undefined means sold out.
 */
export async function reserveTickets(
  quantity: number,
  shardIds: PoolShardIds,
  read: ShardReader,
  first: FirstShard,
): Promise<Reservation | undefined> {
  const base = await readPool(shardIds.base, quantity, read, first);
  const missing = quantity - sumRemaining(base);
  const surge = missing > 0 ? await readPool(shardIds.surge, missing, read, first) : [];
  return allocate(quantity, base, surge, shardIds.base.length);
}
