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
   * seen with what it needs first, shards seen empty last, and after its first two shards the ones that
   * seem to cover what is missing (see `readUntilEnough`). Like the other hints it changes only how shards
   * are read.
   */
  readonly lastSeenRemaining?: (shardId: string) => number | undefined;
  /**
   * Whether another booking probably uses the shard (one of this process, or of the instance that claims
   * it): a walk reads those after the others.
   */
  readonly likelyBusy?: (shardId: string) => boolean;
}

/** What a walk knows of the shards besides what it reads. */
interface WalkHints {
  readonly lastSeenRemaining: (shardId: string) => number | undefined;
  readonly likelyBusy: (shardId: string) => boolean;
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
 * shards last seen with the `needed` tickets, then shards seen with fewer or not seen, then shards another
 * booking probably uses (reading them would make one of the two lose), then shards seen empty. Ties keep
 * `order`, which starts at a random place: ranking by how many tickets were seen instead sent the walks of
 * every instance to the same fullest shard.
 */
function walkOrder(
  order: readonly string[],
  startShardId: string | undefined,
  needed: number,
  hints: WalkHints,
): string[] {
  const rank = (id: string): number => {
    if (id === startShardId) return 4;
    const seen = hints.lastSeenRemaining(id);
    if (seen === 0) return 0;
    if (hints.likelyBusy(id)) return 1;
    return seen !== undefined && seen >= needed ? 3 : 2;
  };
  return order
    .map((id, index) => ({ id, index, rank: rank(id) }))
    .sort((a, b) => b.rank - a.rank || a.index - b.index)
    .map(({ id }) => id);
}

/**
 * The shards a walk reads together next: in walk order, as many as the tickets last seen on them cover what
 * is missing; all of `rest` when the shards seen with tickets fall short (or none was seen).
 */
function nextBatch(rest: readonly string[], missing: number, hints: WalkHints): readonly string[] {
  const batch: string[] = [];
  let expected = 0;
  for (const id of rest) {
    if (expected >= missing) break;
    const seen = hints.lastSeenRemaining(id) ?? 0;
    if (seen === 0) continue;
    batch.push(id);
    expected += seen;
  }
  return expected >= missing ? batch : rest;
}

/** Shards read one per request before a walk reads the others in batches. */
const SINGLE_READS = 2;

/**
 * Reads a pool's shards until they hold `needed` tickets or all were read: the first two in walk order one
 * at a time, then the others in batches (`nextBatch`). A transaction locks what it reads, so reading few
 * shards is what lets bookings run in parallel; but once the first two fall short the booking is at the
 * pool's last tickets, where reading one shard per round trip would hold the first locks for as many round
 * trips as there are shards, while every other booking waits for them or is aborted by them. A batch is the
 * shards that seem to hold what is missing, not the whole pool: near the end of a pool every walk that read
 * every shard locked every shard, so the last few dozen tickets sold one at a time. Shards seen empty are
 * never read alone: they only matter when the others are short, and then all of them are read.
 */
async function readUntilEnough(
  order: readonly string[],
  startShardId: string | undefined,
  needed: number,
  read: ShardReader,
  hints: WalkHints,
): Promise<ShardState[]> {
  const ordered = walkOrder(order, startShardId, needed, hints);
  const singles = ordered
    .slice(0, SINGLE_READS)
    .filter((id) => id === startShardId || hints.lastSeenRemaining(id) !== 0);
  const shards: ShardState[] = [];
  for (const id of singles) {
    if (sumRemaining(shards) >= needed) return shards;
    shards.push(...(await read([id])));
  }
  let rest = ordered.filter((id) => !singles.includes(id));
  while (sumRemaining(shards) < needed && rest.length > 0) {
    const ids = nextBatch(rest, needed - sumRemaining(shards), hints);
    shards.push(...(await read(ids)));
    rest = rest.filter((id) => !ids.includes(id));
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
    likelyBusy: request.likelyBusy ?? (() => false),
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
