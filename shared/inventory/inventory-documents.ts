import type {
  CollectionReference,
  DocumentReference,
  DocumentSnapshot,
  Firestore,
} from 'firebase-admin/firestore';
import { remainingOf, type InventoryLayout, type Pool, type ShardState } from './shard-layout';
import type { PoolShardIds } from './ticket-reservation';

/** Collection, under an event, of its inventory shards. */
export const SHARDS_COLLECTION = 'inventoryShards';

/**
 * A shard as stored. Both remaining fields exist on every shard (one is always 0) so that one aggregation
 * query, `sum(baseRemaining), sum(surgeRemaining)` over the subcollection, answers availability.
 */
export interface ShardDocument {
  readonly pool: Pool;
  readonly capacity: number;
  readonly held: number;
  readonly sold: number;
  readonly baseRemaining: number;
  readonly surgeRemaining: number;
}

/**
 * The event's shard list, stored apart from the shards so that bookings learn which shards exist without
 * reading them all. Only a resize writes it, so every booking can read it without contention.
 */
export interface LayoutDocument extends InventoryLayout {
  readonly baseShardIds: readonly string[];
  readonly surgeShardIds: readonly string[];
}

/** Field holding a pool's remaining tickets on a shard document. */
export function remainingField(pool: Pool): 'baseRemaining' | 'surgeRemaining' {
  return pool === 'base' ? 'baseRemaining' : 'surgeRemaining';
}

/** The stored form of a shard. */
export function toShardDocument(shard: ShardState): ShardDocument {
  const remaining = remainingOf(shard);
  return {
    pool: shard.pool,
    capacity: shard.capacity,
    held: shard.held,
    sold: shard.sold,
    baseRemaining: shard.pool === 'base' ? remaining : 0,
    surgeRemaining: shard.pool === 'surge' ? remaining : 0,
  };
}

/** A shard read back; a missing document means the layout and the shards disagree, which must never be. */
export function fromShardSnapshot(snapshot: DocumentSnapshot): ShardState {
  const data = snapshot.data() as ShardDocument | undefined;
  if (data === undefined) throw new Error(`Inventory shard ${snapshot.ref.path} is missing`);
  const { pool, capacity, held, sold } = data;
  return { id: snapshot.id, pool, capacity, held, sold };
}

/** The layout document of a set of shards. */
export function toLayoutDocument(layout: InventoryLayout, shards: readonly ShardState[]): LayoutDocument {
  const idsOf = (pool: Pool): string[] =>
    shards.filter((shard) => shard.pool === pool).map((shard) => shard.id);
  return {
    totalTickets: layout.totalTickets,
    surgeThreshold: layout.surgeThreshold,
    baseShardIds: idsOf('base'),
    surgeShardIds: idsOf('surge'),
  };
}

/** The shard ids of a stored layout, or undefined when the event has no inventory. */
export function shardIdsOf(snapshot: DocumentSnapshot): PoolShardIds | undefined {
  const data = snapshot.data() as LayoutDocument | undefined;
  if (data === undefined) return undefined;
  return { base: data.baseShardIds, surge: data.surgeShardIds };
}

/** Where an event's inventory documents live. */
export class InventoryPaths {
  constructor(private readonly db: Firestore) {}

  /** `events/{eventId}/inventoryShards/{shardId}` */
  shard(eventId: string, id: string): DocumentReference {
    return this.db.collection('events').doc(eventId).collection(SHARDS_COLLECTION).doc(id);
  }

  /** `events/{eventId}/inventoryShards` */
  shards(eventId: string): CollectionReference {
    return this.db.collection('events').doc(eventId).collection(SHARDS_COLLECTION);
  }

  /** `events/{eventId}/inventoryLayout/current` */
  layout(eventId: string): DocumentReference {
    return this.db.collection('events').doc(eventId).collection('inventoryLayout').doc('current');
  }
}
