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
   * Tickets this process last saw left on a shard (undefined when it has not seen it): a walk reads shards
   * seen with the most tickets first and shards seen empty last, together. Like the other hints it changes
   * only how shards are read.
   */
  readonly lastSeenRemaining?: (shardId: string) => number | undefined;
  /** Whether another booking of this process is using the shard: a walk reads those after the others. */
  readonly busyHere?: (shardId: string) => boolean;
}

/** What a walk knows of the shards besides what it reads. */
interface WalkHints {
  readonly lastSeenRemaining: (shardId: string) => number | undefined;
  readonly busyHere: (shardId: string) => boolean;
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
 * The order in which a walk reads a pool's shards: the start shard (when the process reserved one), then
 * shards seen with tickets, most first, then shards this process has not seen, then shards another booking
 * of this process is using (reading them would make one of the two lose), then shards seen empty. Ties
 * keep `order`.
 */
function walkOrder(order: readonly string[], startShardId: string | undefined, hints: WalkHints): string[] {
  const rank = (id: string): number => {
    if (id === startShardId) return Number.POSITIVE_INFINITY;
    const seen = hints.lastSeenRemaining(id);
    if (seen === 0) return -2;
    if (hints.busyHere(id)) return -1;
    return seen ?? 0;
  };
  return order
    .map((id, index) => ({ id, index, rank: rank(id) }))
    .sort((a, b) => b.rank - a.rank || a.index - b.index)
    .map(({ id }) => id);
}

/** Shards read one per request before a walk reads all the others of the pool at once. */
const SINGLE_READS = 2;

/**
 * Reads a pool's shards until they hold `needed` tickets or all were read: the first two in walk order one
 * at a time, then all the others in one request. A transaction locks what it reads, so reading one or two
 * shards is what lets bookings run in parallel; but once those fall short the booking is at the pool's last
 * tickets, where reading one shard per round trip would hold the first locks for as many round trips as
 * there are shards, while every other booking waits for them or is aborted by them. Shards seen empty are
 * never read alone: they only matter when the others are short, and then all of them are read.
 */
async function readUntilEnough(
  order: readonly string[],
  startShardId: string | undefined,
  needed: number,
  read: ShardReader,
  hints: WalkHints,
): Promise<ShardState[]> {
  const ordered = walkOrder(order, startShardId, hints);
  const singles = ordered
    .slice(0, SINGLE_READS)
    .filter((id) => id === startShardId || hints.lastSeenRemaining(id) !== 0);
  const steps = [...singles.map((id) => [id]), ordered.filter((id) => !singles.includes(id))];
  const shards: ShardState[] = [];
  for (const ids of steps) {
    if (sumRemaining(shards) >= needed) break;
    if (ids.length > 0) shards.push(...(await read(ids)));
  }
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
  const hints: WalkHints = {
    lastSeenRemaining: request.lastSeenRemaining ?? (() => undefined),
    busyHere: request.busyHere ?? (() => false),
  };
  // Empty base shards are not written by bookings, so reading them all at once costs locks nobody wants.
  const base = request.baseLooksEmpty
    ? [...(await read(shardIds.base))]
    : await readUntilEnough(
        rotated(shardIds.base, startShardId, random),
        startShardId,
        quantity,
        read,
        hints,
      );
  const missing = quantity - sumRemaining(base);
  const surge =
    missing > 0 && base.length === shardIds.base.length
      ? await readUntilEnough(
          rotated(shardIds.surge, startShardId, random),
          startShardId,
          missing,
          read,
          hints,
        )
      : [];
  return allocate(quantity, base, surge, shardIds.base.length);
}
