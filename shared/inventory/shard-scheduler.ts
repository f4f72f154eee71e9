import { CLAIM_MS, claimedByAnother, type ShardClaim } from './shard-claims';
import { remainingOf, type Pool, type ShardState } from './shard-layout';
import type { PoolShardIds } from './ticket-reservation';

/** A shard this process reserved for one booking; release it when the booking's transaction has ended. */
export interface ShardSlot {
  /** Where the booking starts reading; undefined when no shard was free in time (start anywhere). */
  readonly shardId: string | undefined;
  /** The pool the slot is in: surge once the base pool seemed empty when the slot was granted. */
  readonly pool: Pool;
  /** Ends the slot; `lostConflict` says the booking's transaction lost a lock conflict (ABORTED). */
  release(lostConflict?: boolean): void;
}

interface EventState {
  shardIds: PoolShardIds | undefined;
  readonly remaining: Map<string, number>;
  /** Per shard, the claim last seen on it. */
  readonly claims: Map<string, ShardClaim>;
  readonly busy: Set<string>;
  /** Bookings of the event in flight in this process, with or without a shard of their own. */
  inFlight: number;
  readonly waiters: Set<() => void>;
  /** Per pool, how many of its shards this process may occupy at once (see `adjustWindow`). */
  readonly congestion: Record<Pool, CongestionWindow>;
  /** Per shard, whether this process's last booking that started there lost a lock conflict. */
  readonly lost: Map<string, boolean>;
  /** Whether a booking of this process is walking the shards (no free shard seemed to have enough). */
  walking: boolean;
  /** Forgets the event once it has had no booking here for a while (see `forgetWhenIdle`). */
  forgetTimer: NodeJS.Timeout | undefined;
  /** When `refreshDue` last said yes (epoch ms). */
  refreshedAtMs: number | undefined;
  /** When a booking of this process last lost a lock conflict on the event (epoch ms). */
  lostAtMs: number | undefined;
}

/** A pool's congestion window in one process. */
interface CongestionWindow {
  /** How many shards of the pool this process may occupy at once; unbounded once it reached the pool's size. */
  size: number;
  /** Counts the window's decreases; a slot granted before the latest one does not decrease it again. */
  epoch: number;
}

/**
 * How long a process keeps what it learned of an event after its last booking of it. Bookings of a hot
 * event come and go in waves (they wait in memory, retry after a pause, answer sold-out); forgetting at the
 * first moment without one in flight sent the next booking back to learning the layout, walking an empty
 * base pool and reading the event afresh, many times a second.
 */
const FORGET_AFTER_IDLE_MS = 30_000;

/** Whether bookings of the event are in flight in this process or waiting there for a shard. */
function hasBookings(state: EventState): boolean {
  return state.inFlight > 0 || state.waiters.size > 0;
}

/** Shards a process occupies at once in a pool it has only started booking (see `adjustWindow`). */
const INITIAL_WINDOW = 2;

/**
 * Spreads this process's concurrent bookings of an event over its shards, one booking per shard at a time.
 *
 * Firestore locks what a transaction reads and an older transaction aborts every younger one that read the
 * shard it writes, so two bookings of the same instance on one shard mostly waste one of them. Instead a
 * booking waits (briefly) for a shard nobody else in this process is using, preferring shards last seen with
 * enough tickets. This is only a hint about where to start: what a booking may take is still decided by
 * what its transaction reads, and bookings from other instances still meet on shards (their retries handle
 * that). Knowledge is per process and forgotten once an event has had no booking here for a while.
 *
 * Claims keep the instances apart: a booking leaves its instance's claim on the shards it takes from (see
 * `ShardClaim`), and every read brings back the claims of the shards it read, as does a lock-free read of
 * all shards every few hundred milliseconds while the event is contended here (`refreshDue`). An instance
 * prefers its own and unclaimed shards, and while it has a shard of its own with tickets it waits for that
 * one rather than book on another instance's; only an instance with none of its own left goes to another's.
 *
 * The meetings that remain are what the window is for. Instances cannot see each other, but every booking
 * that loses a lock conflict tells its instance that shards are crowded: the instance then halves the number
 * of shards it occupies at once, and grows it again by about one shard per window's worth of bookings that
 * did not lose (additive increase, multiplicative decrease, as TCP shares a link). The instances of a hot
 * event so settle near one booking per shard in all, and the rest wait in memory instead of running
 * transactions that would only abort each other: every aborted attempt costs the database and the instance
 * a handful of requests.
 */
export class ShardScheduler {
  private readonly events = new Map<string, EventState>();

  constructor(
    private readonly random: () => number,
    private readonly maxWaitMs: number,
    /** This process in shard claims. */
    private readonly instanceId: string,
  ) {}

  /**
   * Reserves a start shard for a booking of `quantity` tickets, waiting at most `maxWaitMs`: in the base pool
   * unless `baseLooksEmpty` or every base shard was last seen empty here.
   *
   * A booking that no free shard seems to have enough tickets for will walk several shards, and the shards
   * it reads are the last tickets every other booking is after, so each commit there aborts the others that
   * read them. Only one such walk per process runs at a time; the others wait for what it learns (often that
   * the pool is empty, which sends them to the surge pool, or to sold-out, without a walk). Once every shard
   * of the event was seen empty, though, bookings start at once: their transactions take no ticket unless a
   * release returned some, so they hardly contend, and queued one behind another the bookings that were in
   * flight at a sell-out waited seconds for their sold-out answer.
   */
  async acquire(eventId: string, quantity: number, baseLooksEmpty = false): Promise<ShardSlot> {
    const state = this.stateOf(eventId);
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      const pool = this.poolFor(eventId, baseLooksEmpty);
      if (this.seemsSoldOut(eventId)) return this.occupy(eventId, state, pool, undefined, false);
      const withinWindow = this.busyIn(state, pool) < state.congestion[pool].size;
      const pick = withinWindow ? this.pickFree(state, pool, quantity) : undefined;
      const walks = pick === undefined || !pick.enough;
      const mayStart = pick !== undefined && (!walks || !state.walking);
      const worthWaiting = !withinWindow || state.walking || this.worthWaiting(state, pool);
      if (mayStart) return this.occupy(eventId, state, pool, pick.shardId, walks);
      if (Date.now() >= deadline) return this.occupy(eventId, state, pool, undefined, false);
      // Starting anywhere is a walk once the shards are known; before, it is how the layout gets learned.
      if (!worthWaiting) return this.occupy(eventId, state, pool, undefined, state.shardIds !== undefined);
      await this.nextChange(state, deadline - Date.now());
    }
  }

  /** The pool a booking starts in: surge when `baseLooksEmpty` or every base shard was last seen empty here. */
  poolFor(eventId: string, baseLooksEmpty: boolean): Pool {
    return baseLooksEmpty || this.seemsEmpty(eventId, 'base') ? 'surge' : 'base';
  }

  /** Whether every shard of the pool was last seen empty in this process (unknown shards count as not). */
  seemsEmpty(eventId: string, pool: Pool): boolean {
    const state = this.events.get(eventId);
    const ids = state?.shardIds?.[pool];
    return ids !== undefined && ids.every((id) => state?.remaining.get(id) === 0);
  }

  /** Whether this process books the event (or did in the last 30 s) and saw a shard with `quantity` left. */
  seemsToHave(eventId: string, quantity: number): boolean {
    const remaining = this.events.get(eventId)?.remaining.values() ?? [];
    for (const left of remaining) if (left >= quantity) return true;
    return false;
  }

  /** Tickets this process last saw left on a shard of the event; undefined when it has not seen it. */
  lastSeenRemaining(eventId: string, shardId: string): number | undefined {
    return this.events.get(eventId)?.remaining.get(shardId);
  }

  /** Whether a booking of this process holds a slot on the shard, or another instance claims it. */
  isContended(eventId: string, shardId: string): boolean {
    const state = this.events.get(eventId);
    if (state === undefined) return false;
    return (
      state.busy.has(shardId) || claimedByAnother(state.claims.get(shardId), this.instanceId, Date.now())
    );
  }

  /** The event's shard list as last read in this process; undefined when it has not been read. */
  shardIdsOf(eventId: string): PoolShardIds | undefined {
    return this.events.get(eventId)?.shardIds;
  }

  /**
   * Whether this process should read all the event's shards again (lock-free) to learn their claims and
   * tickets: at most once per `intervalMs`, once it knows the shard list, and only while the event is
   * contended here, that is while another booking of it is in flight or waiting in this process, or one
   * lost a lock conflict within a claim's lifetime. Without it an instance learned of another's shard only
   * by booking on it, and lost a conflict there for each shard of each other instance, again every time its
   * knowledge of the claim lapsed; but a quiet event's bookings, one at a time, would each pay a read of up
   * to 32 documents for claims nobody contests.
   */
  refreshDue(eventId: string, intervalMs: number): boolean {
    const state = this.events.get(eventId);
    if (state?.shardIds === undefined) return false;
    const now = Date.now();
    const lostLately = state.lostAtMs !== undefined && now - state.lostAtMs < CLAIM_MS;
    if (!hasBookings(state) && !lostLately) return false;
    if (state.refreshedAtMs !== undefined && now - state.refreshedAtMs < intervalMs) return false;
    state.refreshedAtMs = now;
    return true;
  }

  /** Records the event's shard list and what a transaction read (or is about to write) of its shards. */
  observe(eventId: string, shardIds: PoolShardIds, shards: readonly ShardState[]): void {
    const state = this.events.get(eventId);
    // Only events booked here lately are tracked; others would only grow the map.
    if (state === undefined) return;
    const learnedLayout = state.shardIds === undefined;
    state.shardIds = shardIds;
    this.record(state, shards);
    if (learnedLayout) this.wakeAll(state);
  }

  /**
   * Records shards read outside any transaction, which say nothing about the current shard list: a
   * refresh that started before a resize must not bring the old list back.
   */
  observeShards(eventId: string, shards: readonly ShardState[]): void {
    const state = this.events.get(eventId);
    if (state !== undefined) this.record(state, shards);
  }

  private record(state: EventState, shards: readonly ShardState[]): void {
    for (const shard of shards) {
      state.remaining.set(shard.id, remainingOf(shard));
      if (shard.claim !== undefined) state.claims.set(shard.id, shard.claim);
    }
  }

  private stateOf(eventId: string): EventState {
    let state = this.events.get(eventId);
    if (state === undefined) {
      state = {
        shardIds: undefined,
        remaining: new Map(),
        claims: new Map(),
        busy: new Set(),
        inFlight: 0,
        waiters: new Set(),
        congestion: { base: { size: INITIAL_WINDOW, epoch: 0 }, surge: { size: INITIAL_WINDOW, epoch: 0 } },
        lost: new Map(),
        walking: false,
        forgetTimer: undefined,
        refreshedAtMs: undefined,
        lostAtMs: undefined,
      };
      this.events.set(eventId, state);
    }
    return state;
  }

  /**
   * A free shard of the pool: one last seen with enough tickets if possible, else one not seen empty; one
   * another instance claims only when none other is left and no shard of this process's own may still free
   * up (undefined then: wait). Among those, shards where this process's last booking did not lose a conflict
   * come first, and of these the ones where it won: an instance keeps to shards it wins and leaves those
   * where another instance is booking, so the instances of a hot event drift apart instead of meeting again
   * and again.
   */
  private pickFree(
    state: EventState,
    pool: Pool,
    quantity: number,
  ): { readonly shardId: string; readonly enough: boolean } | undefined {
    const free = (state.shardIds?.[pool] ?? []).filter((id) => !state.busy.has(id));
    const known = (id: string): number => state.remaining.get(id) ?? Number.POSITIVE_INFINITY;
    const enough = free.filter((id) => known(id) >= quantity);
    const withTickets = enough.length > 0 ? enough : free.filter((id) => known(id) > 0);
    const now = Date.now();
    const ours = withTickets.filter((id) => !claimedByAnother(state.claims.get(id), this.instanceId, now));
    if (ours.length === 0 && this.worthWaiting(state, pool)) return undefined;
    const some = ours.length > 0 ? ours : withTickets;
    const won = some.filter((id) => state.lost.get(id) === false);
    const untried = some.filter((id) => !state.lost.has(id));
    const best = [won, untried, some].find((ids) => ids.length > 0) ?? [];
    const shardId = best[Math.floor(this.random() * best.length)];
    return shardId === undefined ? undefined : { shardId, enough: enough.length > 0 };
  }

  /**
   * Waiting pays while a booking in flight is learning the shard list (the first one goes alone), or while
   * a busy shard of the pool may still hold tickets.
   */
  private worthWaiting(state: EventState, pool: Pool): boolean {
    if (state.shardIds === undefined) return state.inFlight > 0;
    return state.shardIds[pool].some((id) => state.busy.has(id) && state.remaining.get(id) !== 0);
  }

  /** Whether every shard of the event was last seen empty in this process. */
  private seemsSoldOut(eventId: string): boolean {
    return this.seemsEmpty(eventId, 'base') && this.seemsEmpty(eventId, 'surge');
  }

  private occupy(
    eventId: string,
    state: EventState,
    pool: Pool,
    shardId: string | undefined,
    walks: boolean,
  ): ShardSlot {
    if (shardId !== undefined) state.busy.add(shardId);
    if (walks) state.walking = true;
    state.inFlight += 1;
    const epoch = state.congestion[pool].epoch;
    let released = false;
    return {
      shardId,
      pool,
      release: (lostConflict = false) => {
        if (released) return;
        released = true;
        if (walks) state.walking = false;
        this.adjustWindow(state, pool, epoch, lostConflict);
        if (shardId !== undefined) state.lost.set(shardId, lostConflict);
        if (lostConflict) state.lostAtMs = Date.now();
        if (shardId !== undefined) state.busy.delete(shardId);
        state.inFlight -= 1;
        this.wakeAll(state);
        this.forgetWhenIdle(eventId, state);
      },
    };
  }

  /**
   * Halves the pool's window (to half its shards occupied now, at least one) when a booking lost a conflict,
   * once per round of bookings: those already running started before the decrease and say nothing new about
   * it. Otherwise grows it, by one shard per booking before the first loss (it doubles every round, as TCP's
   * slow start) and by one per window's worth of bookings after; from the pool's size on it is no bound.
   * Each pool has its own window: the contention at the base pool's last tickets says nothing about the
   * surge shards, and a surge pool starting at one shard per instance would waste the start of its sale.
   */
  private adjustWindow(state: EventState, pool: Pool, epoch: number, lostConflict: boolean): void {
    const window = state.congestion[pool];
    if (lostConflict) {
      if (epoch !== window.epoch) return;
      window.size = Math.max(1, Math.min(window.size, this.busyIn(state, pool)) / 2);
      window.epoch += 1;
      return;
    }
    if (window.size === Number.POSITIVE_INFINITY) return;
    const poolSize = state.shardIds?.[pool].length ?? 0;
    window.size += window.epoch === 0 ? 1 : 1 / window.size;
    if (poolSize > 0 && window.size >= poolSize) window.size = Number.POSITIVE_INFINITY;
  }

  /** How many of the pool's shards bookings of this process occupy. */
  private busyIn(state: EventState, pool: Pool): number {
    return (state.shardIds?.[pool] ?? []).filter((id) => state.busy.has(id)).length;
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

  private forgetWhenIdle(eventId: string, state: EventState): void {
    if (hasBookings(state)) return;
    clearTimeout(state.forgetTimer);
    state.forgetTimer = setTimeout(() => {
      if (!hasBookings(state) && this.events.get(eventId) === state) this.events.delete(eventId);
    }, FORGET_AFTER_IDLE_MS);
    // A process that has nothing else to do must be free to exit.
    state.forgetTimer.unref();
  }
}
