import { remainingOf, type Pool, type ShardState } from './shard-layout';
import type { PoolShardIds } from './ticket-reservation';

/** A shard this process reserved for one booking; release it when the booking's transaction has ended. */
export interface ShardSlot {
  /** Where the booking starts reading; undefined when no shard was free in time (start anywhere). */
  readonly shardId: string | undefined;
  release(): void;
}

interface EventState {
  shardIds: PoolShardIds | undefined;
  readonly remaining: Map<string, number>;
  readonly busy: Set<string>;
  /** Bookings of the event in flight in this process, with or without a shard of their own. */
  inFlight: number;
  readonly waiters: Set<() => void>;
}

/**
 * Spreads this process's concurrent bookings of an event over its shards, one booking per shard at a time.
 *
 * Firestore locks what a transaction reads and an older transaction aborts every younger one that read the
 * shard it writes, so two bookings of the same instance on one shard mostly waste one of them. Instead a
 * booking waits (briefly) for a shard nobody else in this process is using, preferring shards last seen with
 * enough tickets. This is only a hint about where to start: what a booking may take is still decided by
 * what its transaction reads, and bookings from other instances still meet on shards (their retries handle
 * that). Knowledge is per process and forgotten when an event has no booking in flight.
 */
export class ShardScheduler {
  private readonly events = new Map<string, EventState>();

  constructor(
    private readonly random: () => number,
    private readonly maxWaitMs: number,
  ) {}

  /** Reserves a start shard in `pool` for a booking of `quantity` tickets, waiting at most `maxWaitMs`. */
  async acquire(eventId: string, pool: Pool, quantity: number): Promise<ShardSlot> {
    const state = this.stateOf(eventId);
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      const shardId = this.pickFree(state, pool, quantity);
      if (shardId !== undefined || !this.worthWaiting(state, pool) || Date.now() >= deadline) {
        return this.occupy(eventId, state, shardId);
      }
      await this.nextChange(state, deadline - Date.now());
    }
  }

  /** Whether every shard of the pool was last seen empty in this process (unknown shards count as not). */
  seemsEmpty(eventId: string, pool: Pool): boolean {
    const state = this.events.get(eventId);
    const ids = state?.shardIds?.[pool];
    return ids !== undefined && ids.every((id) => state?.remaining.get(id) === 0);
  }

  /** Records the event's shard list and what a transaction read (or is about to write) of its shards. */
  observe(eventId: string, shardIds: PoolShardIds, shards: readonly ShardState[]): void {
    const state = this.events.get(eventId);
    // Only events with bookings in flight are tracked; others would only grow the map.
    if (state === undefined) return;
    const learnedLayout = state.shardIds === undefined;
    state.shardIds = shardIds;
    for (const shard of shards) state.remaining.set(shard.id, remainingOf(shard));
    if (learnedLayout) this.wakeAll(state);
  }

  private stateOf(eventId: string): EventState {
    let state = this.events.get(eventId);
    if (state === undefined) {
      state = { shardIds: undefined, remaining: new Map(), busy: new Set(), inFlight: 0, waiters: new Set() };
      this.events.set(eventId, state);
    }
    return state;
  }

  /** A free shard of the pool: one last seen with enough tickets if possible, else one not seen empty. */
  private pickFree(state: EventState, pool: Pool, quantity: number): string | undefined {
    const free = (state.shardIds?.[pool] ?? []).filter((id) => !state.busy.has(id));
    const known = (id: string): number => state.remaining.get(id) ?? Number.POSITIVE_INFINITY;
    const enough = free.filter((id) => known(id) >= quantity);
    const some = enough.length > 0 ? enough : free.filter((id) => known(id) > 0);
    return some[Math.floor(this.random() * some.length)];
  }

  /**
   * Waiting pays while a booking in flight is learning the shard list (the first one goes alone), or while
   * a busy shard of the pool may still hold tickets.
   */
  private worthWaiting(state: EventState, pool: Pool): boolean {
    if (state.shardIds === undefined) return state.inFlight > 0;
    return state.shardIds[pool].some((id) => state.busy.has(id) && state.remaining.get(id) !== 0);
  }

  private occupy(eventId: string, state: EventState, shardId: string | undefined): ShardSlot {
    if (shardId !== undefined) state.busy.add(shardId);
    state.inFlight += 1;
    let released = false;
    return {
      shardId,
      release: () => {
        if (released) return;
        released = true;
        if (shardId !== undefined) state.busy.delete(shardId);
        state.inFlight -= 1;
        this.wakeAll(state);
        this.forgetIfIdle(eventId, state);
      },
    };
  }

  private wakeAll(state: EventState): void {
    for (const wake of state.waiters) wake();
  }

  private nextChange(state: EventState, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        state.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      state.waiters.add(wake);
    });
  }

  private forgetIfIdle(eventId: string, state: EventState): void {
    if (state.inFlight === 0 && state.waiters.size === 0) this.events.delete(eventId);
  }
}
