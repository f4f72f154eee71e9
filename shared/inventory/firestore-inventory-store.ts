import { randomUUID } from 'node:crypto';
import { AggregateField, FieldValue, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { isLostConflict } from '../firebase/firestore-errors';
import { logger } from '../logging/logger';
import {
  fromShardSnapshot,
  InventoryPaths,
  remainingField,
  shardIdsOf,
  toLayoutDocument,
  toShardDocument,
} from './inventory-documents';
import type {
  Availability,
  InventoryLayout,
  PreparedReservation,
  ReservationStart,
  TicketCounts,
  TicketInventory,
  TicketState,
} from './inventory-store';
import { DEFAULT_SHARDING_POLICY, initialShards, type ShardingPolicy, type ShardState } from './shard-layout';
import { claimAfterBooking } from './shard-claims';
import { planResize } from './shard-resize';
import { ShardScheduler } from './shard-scheduler';
import { reserveTickets, type ShardTake } from './ticket-reservation';

/** Construction options; the defaults are the production ones. */
export interface FirestoreInventoryOptions {
  /** How pools are split into shards (the benchmark compares a single shard with the default). */
  readonly policy?: ShardingPolicy;
  /** Source of randomness for where booking walks start; injectable for tests. */
  readonly random?: () => number;
  /** Longest wait of a booking for a shard of its own in this process before it starts anywhere. */
  readonly maxSlotWaitMs?: number;
}

/** Long enough to queue behind the bookings of a busy instance, short against the function timeout. */
const DEFAULT_MAX_SLOT_WAIT_MS = 10_000;

/**
 * How often an instance booking a contended event reads all its shards lock-free to learn their claims (see
 * `ShardScheduler.refreshDue`): a small fraction of its booking reads (one request of up to 32 documents),
 * often enough to keep off shards other instances took since.
 */
const SHARD_REFRESH_MS = 300;

function sameLayout(a: InventoryLayout, b: InventoryLayout): boolean {
  return a.totalTickets === b.totalTickets && a.surgeThreshold === b.surgeThreshold;
}

/**
 * The sharded event inventory in Firestore: `events/{eventId}/inventoryShards/{base-i|surge-j}` plus the
 * shard list in `events/{eventId}/inventoryLayout/current`. See docs/inventory.md for the design.
 */
export class FirestoreInventoryStore implements TicketInventory {
  private readonly paths: InventoryPaths;
  private readonly policy: ShardingPolicy;
  private readonly random: () => number;
  private readonly scheduler: ShardScheduler;
  /** This process in shard claims. */
  private readonly instanceId = randomUUID();

  constructor(
    private readonly db: Firestore,
    options: FirestoreInventoryOptions = {},
  ) {
    this.paths = new InventoryPaths(db);
    this.policy = options.policy ?? DEFAULT_SHARDING_POLICY;
    this.random = options.random ?? Math.random;
    this.scheduler = new ShardScheduler(
      this.random,
      options.maxSlotWaitMs ?? DEFAULT_MAX_SLOT_WAIT_MS,
      this.instanceId,
    );
  }

  initialise(tx: Transaction, eventId: string, layout: InventoryLayout): void {
    this.writeShards(tx, eventId, layout, initialShards(layout, this.policy), []);
  }

  async prepareResize(
    tx: Transaction,
    eventId: string,
    current: InventoryLayout,
    next: InventoryLayout,
  ): Promise<{ apply(): void }> {
    // Leaving the layout alone must not lock every shard against the bookings of a live on-sale.
    if (sameLayout(current, next)) return { apply: () => undefined };
    const shardIds = shardIdsOf(await tx.get(this.paths.layout(eventId)));
    if (shardIds === undefined) throw new Error(`Event ${eventId} has no inventory to resize`);
    const shards = await this.readShards(tx, eventId, [...shardIds.base, ...shardIds.surge]);
    const plan = planResize(shards, next, this.policy);
    return { apply: () => this.writeShards(tx, eventId, next, plan.shards, plan.removedIds) };
  }

  async availability(eventIds: readonly string[]): Promise<Map<string, Availability>> {
    const unique = [...new Set(eventIds)];
    const answers = await Promise.all(
      unique.map(async (eventId) => [eventId, await this.availabilityOf(eventId)] as const),
    );
    return new Map(
      answers.flatMap(([eventId, availability]) => (availability ? [[eventId, availability]] : [])),
    );
  }

  async ticketCounts(tx: Transaction, eventId: string): Promise<TicketCounts | undefined> {
    const snapshot = await tx.get(
      this.paths.shards(eventId).aggregate({
        shards: AggregateField.count(),
        held: AggregateField.sum('held'),
        sold: AggregateField.sum('sold'),
      }),
    );
    const { shards, held, sold } = snapshot.data();
    return shards === 0 ? undefined : { held, sold };
  }

  async withReservationSlot<T>(
    eventId: string,
    quantity: number,
    hint: Availability | undefined,
    work: (start: ReservationStart) => Promise<T>,
  ): Promise<T> {
    if (this.scheduler.refreshDue(eventId, SHARD_REFRESH_MS)) void this.refreshShards(eventId);
    const slot = await this.scheduler.acquire(eventId, quantity, hint?.baseAvailable === 0);
    try {
      const result = await work({ shardId: slot.shardId, baseLooksEmpty: slot.pool === 'surge' });
      slot.release();
      return result;
    } catch (error) {
      slot.release(isLostConflict(error));
      throw error;
    }
  }

  seemsAvailableHere(eventId: string, quantity: number): boolean {
    return this.scheduler.seemsToHave(eventId, quantity);
  }

  startWithoutSlot(eventId: string, hint: Availability | undefined): ReservationStart {
    return {
      shardId: undefined,
      baseLooksEmpty: this.scheduler.poolFor(eventId, hint?.baseAvailable === 0) === 'surge',
    };
  }

  async prepareReservation(
    tx: Transaction,
    eventId: string,
    quantity: number,
    start: ReservationStart | undefined,
  ): Promise<PreparedReservation | undefined> {
    // The start shard is read beside the layout (in one request when `tx` coalesces reads), since it is
    // usually the only shard a booking needs; so are the base shards when the base pool looks empty, as the
    // walk reads them all first. Shards no longer in the layout (a resize) go unused.
    const baseLooksEmpty = start?.baseLooksEmpty === true;
    const prefetched = [
      ...(start?.shardId === undefined ? [] : [start.shardId]),
      ...((baseLooksEmpty ? this.scheduler.shardIdsOf(eventId)?.base : undefined) ?? []),
    ];
    const [layout, ...shardSnapshots] = await Promise.all([
      tx.get(this.paths.layout(eventId)),
      ...prefetched.map((id) => tx.get(this.paths.shard(eventId, id))),
    ]);
    const shardIds = shardIdsOf(layout);
    if (shardIds === undefined) return undefined;
    const read = new Map<string, ShardState>();
    for (const snapshot of shardSnapshots)
      if (snapshot.exists) read.set(snapshot.id, fromShardSnapshot(snapshot));
    // What each read finds is recorded at once, not when the transaction ends: the other bookings of this
    // process then skip shards just found empty (read last, together) instead of walking them one by one
    // too, and a transaction that goes on to lose a conflict still leaves what it learned.
    this.scheduler.observe(eventId, shardIds, [...read.values()]);
    const reservation = await reserveTickets(
      {
        quantity,
        shardIds,
        random: this.random,
        startShardId: start?.shardId,
        baseLooksEmpty,
        lastSeenRemaining: (id) => this.scheduler.lastSeenRemaining(eventId, id),
        likelyBusy: (id) => id !== start?.shardId && this.scheduler.isContended(eventId, id),
      },
      async (ids) => {
        const fresh = await this.readShards(
          tx,
          eventId,
          ids.filter((id) => !read.has(id)),
        );
        for (const shard of fresh) read.set(shard.id, shard);
        this.scheduler.observe(eventId, shardIds, fresh);
        return ids.flatMap((id) => read.get(id) ?? []);
      },
    );
    if (reservation === undefined) return undefined;
    return {
      reservation,
      apply: () => {
        const now = Date.now();
        const taken = reservation.takes.map((shardTake) => {
          const shard = read.get(shardTake.shardId);
          if (shard === undefined)
            throw new Error(`Shard ${shardTake.shardId} was taken from without being read`);
          const claim = claimAfterBooking(shard.claim, this.instanceId, now);
          return { ...shard, held: shard.held + shardTake.quantity, claim };
        });
        for (const shard of taken) tx.set(this.paths.shard(eventId, shard.id), toShardDocument(shard));
        this.scheduler.observe(eventId, shardIds, taken);
      },
    };
  }

  release(tx: Transaction, eventId: string, takes: readonly ShardTake[], from: TicketState): void {
    // Blind increments: the caller's state-guarded booking transition makes this exactly once, and not
    // reading the shards keeps releases from holding locks that bookings wait for.
    for (const { shardId, pool, quantity } of takes) {
      tx.update(this.paths.shard(eventId, shardId), {
        [from]: FieldValue.increment(-quantity),
        [remainingField(pool)]: FieldValue.increment(quantity),
      });
    }
  }

  markSold(tx: Transaction, eventId: string, takes: readonly ShardTake[]): void {
    for (const { shardId, quantity } of takes) {
      tx.update(this.paths.shard(eventId, shardId), {
        held: FieldValue.increment(-quantity),
        sold: FieldValue.increment(quantity),
      });
    }
  }

  /** Reads every shard of the event without a transaction (no locks) and tells the scheduler. */
  private async refreshShards(eventId: string): Promise<void> {
    const shardIds = this.scheduler.shardIdsOf(eventId);
    if (shardIds === undefined) return;
    const refs = [...shardIds.base, ...shardIds.surge].map((id) => this.paths.shard(eventId, id));
    try {
      const snapshots = await this.db.getAll(...refs);
      const shards = snapshots.filter((snapshot) => snapshot.exists).map(fromShardSnapshot);
      this.scheduler.observeShards(eventId, shards);
    } catch (error) {
      // Only a hint is missing: bookings go on with what the scheduler knew.
      logger.warn('reading the shards for their claims failed', { err: error, eventId });
    }
  }

  private async readShards(tx: Transaction, eventId: string, ids: readonly string[]): Promise<ShardState[]> {
    if (ids.length === 0) return [];
    const snapshots = await tx.getAll(...ids.map((id) => this.paths.shard(eventId, id)));
    return snapshots.map(fromShardSnapshot);
  }

  private async availabilityOf(eventId: string): Promise<Availability | undefined> {
    const snapshot = await this.paths
      .shards(eventId)
      .aggregate({
        shards: AggregateField.count(),
        base: AggregateField.sum('baseRemaining'),
        surge: AggregateField.sum('surgeRemaining'),
      })
      .get();
    const { shards, base, surge } = snapshot.data();
    if (shards === 0) return undefined;
    return { availableTickets: base + surge, baseAvailable: base };
  }

  private writeShards(
    tx: Transaction,
    eventId: string,
    layout: InventoryLayout,
    shards: readonly ShardState[],
    removedIds: readonly string[],
  ): void {
    for (const shard of shards) tx.set(this.paths.shard(eventId, shard.id), toShardDocument(shard));
    for (const id of removedIds) tx.delete(this.paths.shard(eventId, id));
    tx.set(this.paths.layout(eventId), toLayoutDocument(layout, shards));
  }
}
