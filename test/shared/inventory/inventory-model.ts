import {
  DEFAULT_SHARDING_POLICY,
  initialShards,
  type InventoryLayout,
  type ShardingPolicy,
  type ShardState,
} from '../../../shared/inventory/shard-layout';
import { planResize } from '../../../shared/inventory/shard-resize';
import {
  reserveTickets,
  type PoolShardIds,
  type Reservation,
  type ShardTake,
} from '../../../shared/inventory/ticket-reservation';

/** A booking as the model tracks it: where its tickets are and in which state. */
export interface ModelBooking {
  readonly takes: readonly ShardTake[];
  state: 'held' | 'sold' | 'returned';
}

/**
 * An in-memory inventory driven by the same pure functions as the Firestore store: shards in a map, the
 * reservation walk reading from it, resizes planned by `planResize`. Tests check invariants on it.
 */
export class InventoryModel {
  layout: InventoryLayout;
  readonly shards = new Map<string, ShardState>();
  readonly bookings: ModelBooking[] = [];

  constructor(
    layout: InventoryLayout,
    readonly policy: ShardingPolicy = DEFAULT_SHARDING_POLICY,
  ) {
    this.layout = layout;
    for (const shard of initialShards(layout, policy)) this.shards.set(shard.id, shard);
  }

  shardIds(): PoolShardIds {
    const all = [...this.shards.values()];
    return {
      base: all.filter((shard) => shard.pool === 'base').map((shard) => shard.id),
      surge: all.filter((shard) => shard.pool === 'surge').map((shard) => shard.id),
    };
  }

  /**
   * Runs the reservation and applies it; the reads it made are returned for inspection. Its first shard of
   * a pool is chosen by `random` among the shards not `seenEmpty` (the whole pool at once if none is left).
   */
  async book(
    quantity: number,
    random: () => number,
    seenEmpty: (shardId: string) => boolean = () => false,
  ): Promise<{ reservation: Reservation | undefined; readIds: string[]; requests: string[][] }> {
    const requests: string[][] = [];
    const reservation = await reserveTickets(
      quantity,
      this.shardIds(),
      async (ids) => {
        requests.push([...ids]);
        return ids.map((id) => this.shard(id));
      },
      (ids) => {
        const open = ids.filter((id) => !seenEmpty(id));
        return open[Math.floor(random() * open.length)];
      },
    );
    const readIds = requests.flat();
    if (reservation !== undefined) {
      for (const take of reservation.takes)
        this.change(take, (shard, n) => ({ ...shard, held: shard.held + n }));
      this.bookings.push({ takes: reservation.takes, state: 'held' });
    }
    return { reservation, readIds, requests };
  }

  /** Returns a held booking's tickets (expiry or cancellation). */
  release(booking: ModelBooking): void {
    for (const take of booking.takes) this.change(take, (shard, n) => ({ ...shard, held: shard.held - n }));
    booking.state = 'returned';
  }

  /** A held booking is paid. */
  sell(booking: ModelBooking): void {
    for (const take of booking.takes) {
      this.change(take, (shard, n) => ({ ...shard, held: shard.held - n, sold: shard.sold + n }));
    }
    booking.state = 'sold';
  }

  /** A sold booking is refunded. */
  refund(booking: ModelBooking): void {
    for (const take of booking.takes) this.change(take, (shard, n) => ({ ...shard, sold: shard.sold - n }));
    booking.state = 'returned';
  }

  /** Applies `planResize`; throws what it throws. */
  resize(next: InventoryLayout): void {
    const plan = planResize([...this.shards.values()], next, this.policy);
    for (const id of plan.removedIds) this.shards.delete(id);
    for (const shard of plan.shards) this.shards.set(shard.id, shard);
    this.layout = next;
  }

  shard(id: string): ShardState {
    const shard = this.shards.get(id);
    if (shard === undefined) throw new Error(`no shard ${id}`);
    return shard;
  }

  private change(take: ShardTake, update: (shard: ShardState, quantity: number) => ShardState): void {
    this.shards.set(take.shardId, update(this.shard(take.shardId), take.quantity));
  }
}
