import { AggregateField, FieldValue, type Firestore, type Transaction } from 'firebase-admin/firestore';
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
  PreparedReservation,
  TicketCounts,
  TicketInventory,
  TicketState,
} from './inventory-store';
import {
  DEFAULT_SHARDING_POLICY,
  initialShards,
  remainingOf,
  type InventoryLayout,
  type ShardingPolicy,
  type ShardState,
} from './shard-layout';
import { planResize } from './shard-resize';
import { ShardHints } from './shard-hints';
import { reserveTickets, type ShardTake } from './ticket-reservation';

/** Construction options; the defaults are the production ones. */
export interface FirestoreInventoryOptions {
  /** How pools are split into shards (the benchmark compares a single shard with the default). */
  readonly policy?: ShardingPolicy;
  /** Source of randomness for the shard a booking reads first; injectable for tests. */
  readonly random?: () => number;
}

function leftOn(shard: ShardState | undefined): number {
  return shard === undefined ? 0 : remainingOf(shard);
}

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
  private readonly hints: ShardHints;

  constructor(
    private readonly db: Firestore,
    options: FirestoreInventoryOptions = {},
  ) {
    this.paths = new InventoryPaths(db);
    this.policy = options.policy ?? DEFAULT_SHARDING_POLICY;
    this.hints = new ShardHints(options.random ?? Math.random);
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

  seemsAvailableHere(eventId: string, quantity: number): boolean {
    return this.hints.seemsToHave(eventId, quantity);
  }

  async prepareReservation(
    tx: Transaction,
    eventId: string,
    quantity: number,
  ): Promise<PreparedReservation | undefined> {
    // The shards a booking will likely read first go in the layout's request (one request when `tx`
    // coalesces reads). Shards no longer in the layout (a resize) go unused.
    const [layout, ...prefetched] = await Promise.all([
      tx.get(this.paths.layout(eventId)),
      ...this.likelyFirstReads(eventId).map((id) => tx.get(this.paths.shard(eventId, id))),
    ]);
    const shardIds = shardIdsOf(layout);
    if (shardIds === undefined) return undefined;
    const read = new Map<string, ShardState>();
    const observe = (shards: readonly ShardState[]): void => {
      for (const shard of shards) read.set(shard.id, shard);
      this.hints.observe(eventId, shardIds, shards);
    };
    observe(prefetched.filter((snapshot) => snapshot.exists).map(fromShardSnapshot));
    const reservation = await reserveTickets(
      quantity,
      shardIds,
      async (ids) => {
        observe(
          await this.readShards(
            tx,
            eventId,
            ids.filter((id) => !read.has(id)),
          ),
        );
        return ids.flatMap((id) => read.get(id) ?? []);
      },
      // A shard read already with tickets left costs no request; otherwise one the hints suggest.
      (ids) => ids.find((id) => leftOn(read.get(id)) > 0) ?? this.hints.pick(eventId, ids),
    );
    if (reservation === undefined) return undefined;
    return {
      reservation,
      apply: () => {
        const taken = reservation.takes.map((shardTake) => {
          const shard = read.get(shardTake.shardId);
          if (shard === undefined)
            throw new Error(`Shard ${shardTake.shardId} was taken from without being read`);
          return { ...shard, held: shard.held + shardTake.quantity };
        });
        for (const shard of taken) tx.set(this.paths.shard(eventId, shard.id), toShardDocument(shard));
        this.hints.observe(eventId, shardIds, taken);
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

  /**
   * Where this process expects a booking of the event to start: a base shard, or every base shard and a
   * surge shard once the base pool was seen empty (the exact-surge rule reads them all anyway).
   */
  private likelyFirstReads(eventId: string): string[] {
    const shardIds = this.hints.shardIdsOf(eventId);
    if (shardIds === undefined) return [];
    const base = this.hints.pick(eventId, shardIds.base);
    if (base !== undefined) return [base];
    const surge = this.hints.pick(eventId, shardIds.surge);
    return [...shardIds.base, ...(surge === undefined ? [] : [surge])];
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
