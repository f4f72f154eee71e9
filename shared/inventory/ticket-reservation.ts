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

/** What a reservation needs besides the shards themselves. */
export interface ReservationRequest {
  readonly quantity: number;
  readonly shardIds: PoolShardIds;
  /** Where to start reading, when this process reserved a shard for the booking (see `ShardScheduler`). */
  readonly startShardId?: string | undefined;
  /** A number in [0, 1) choosing where a pool's walk starts otherwise, so that bookings spread over shards. */
  readonly random: () => number;
  /**
   * A hint read outside the transaction: the base pool looked empty. The walk then reads every base shard
   * in one batch instead of one by one. It changes only how shards are read, never what is concluded.
   */
  readonly baseLooksEmpty: boolean;
  /**
   * Tickets this process last saw left on a shard (undefined when it has not seen it): shards seen empty
   * are read last, together. Like the other hints it changes only how shards are read.
   */
  readonly lastSeenRemaining?: (shardId: string) => number | undefined;
}

/** The ids rotated to start at `startId` if it is one of them, else at a random position. */
function rotated(ids: readonly string[], startId: string | undefined, random: () => number): string[] {
  const chosen = startId === undefined ? -1 : ids.indexOf(startId);
  const start = chosen >= 0 ? chosen : Math.floor(random() * ids.length);
  return [...ids.slice(start), ...ids.slice(0, start)];
}

function sumRemaining(shards: readonly ShardState[]): number {
  return shards.reduce((sum, shard) => sum + remainingOf(shard), 0);
}

/**
 * Reads shards one at a time in `order` until they hold `needed` tickets or the order is exhausted. Reading
 * one shard at a time is what lets bookings run in parallel: a transaction locks what it reads, so one that
 * read every shard would conflict with every other booking. Shards last seen empty come last, in one batch:
 * bookings do not write empty shards, so locking them together costs nobody anything, whereas reading them
 * one by one would hold the locks of the shards read first for a round trip each.
 */
async function readUntilEnough(
  order: readonly string[],
  needed: number,
  read: ShardReader,
  lastSeenRemaining: (shardId: string) => number | undefined,
): Promise<ShardState[]> {
  const shards: ShardState[] = [];
  const seenEmpty = order.filter((id) => lastSeenRemaining(id) === 0);
  for (const id of order) {
    if (sumRemaining(shards) >= needed) return shards;
    if (!seenEmpty.includes(id)) shards.push(...(await read([id])));
  }
  if (sumRemaining(shards) < needed && seenEmpty.length > 0) shards.push(...(await read(seenEmpty)));
  return shards;
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
  const baseTickets = baseTakes.reduce((sum, shardTake) => sum + shardTake.quantity, 0);
  if (baseTickets === quantity) return { takes: baseTakes, baseTickets, surgeTickets: 0 };
  const sawEveryBaseShard = new Set(base.map((shard) => shard.id)).size === baseShardCount;
  if (!sawEveryBaseShard) return undefined;
  const surgeTakes = take(surge, quantity - baseTickets);
  const surgeTickets = surgeTakes.reduce((sum, shardTake) => sum + shardTake.quantity, 0);
  if (baseTickets + surgeTickets < quantity) return undefined;
  return { takes: [...baseTakes, ...surgeTakes], baseTickets, surgeTickets };
}

/**
 * Reserves `quantity` tickets: base shards first from the given or a random start, then, only after every
 * base shard was read and found short, surge shards likewise. Every conclusion rests on what `read` returned
 * (inside the transaction), so the guarantees hold whatever the hint said. Undefined means sold out.
 */
export async function reserveTickets(
  request: ReservationRequest,
  read: ShardReader,
): Promise<Reservation | undefined> {
  const { quantity, shardIds, random, startShardId } = request;
  const lastSeenRemaining = request.lastSeenRemaining ?? (() => undefined);
  // Empty base shards are not written by bookings, so reading them all at once costs locks nobody wants.
  const base = request.baseLooksEmpty
    ? [...(await read(shardIds.base))]
    : await readUntilEnough(rotated(shardIds.base, startShardId, random), quantity, read, lastSeenRemaining);
  const missing = quantity - sumRemaining(base);
  const surge =
    missing > 0 && base.length === shardIds.base.length
      ? await readUntilEnough(rotated(shardIds.surge, startShardId, random), missing, read, lastSeenRemaining)
      : [];
  return allocate(quantity, base, surge, shardIds.base.length);
}
