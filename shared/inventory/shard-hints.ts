import { remainingOf, type ShardState } from './shard-layout';
import type { PoolShardIds } from './ticket-reservation';

interface EventHints {
  shardIds: PoolShardIds;
  readonly remaining: Map<string, number>;
  readonly pickedUntil: Map<string, number>;
  seenAtMs: number;
}

/** How long what a process saw of an event lets its bookings skip the lock-free pre-reads. */
const FRESH_MS = 30_000;

/** About one booking transaction with production commit latency: a shard picked longer ago is free again. */
const PICKED_MS = 50;

/** Events one process remembers; the one it learned of first is forgotten beyond. */
const MAX_EVENTS = 1_000;

/**
 * What this process last saw of the shards of the events it books: their list and the tickets left on each.
 * Bookings use it to read the layout and a likely shard in one request, to start on a shard neither seen
 * empty nor just picked by another booking here, and to skip the pre-reads of an event seen with tickets
 * moments ago. It steers which shards are read, never what a booking concludes from reading them.
 */
export class ShardHints {
  private readonly events = new Map<string, EventHints>();

  constructor(
    private readonly random: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The event's shard list as last read here; undefined when it has not been read. */
  shardIdsOf(eventId: string): PoolShardIds | undefined {
    return this.events.get(eventId)?.shardIds;
  }

  /** Records the event's shard list and shards that one of its transactions read or writes. */
  observe(eventId: string, shardIds: PoolShardIds, shards: readonly ShardState[]): void {
    let hints = this.events.get(eventId);
    if (hints === undefined) {
      hints = { shardIds, remaining: new Map(), pickedUntil: new Map(), seenAtMs: 0 };
      this.events.set(eventId, hints);
      const oldest = this.events.keys().next().value;
      if (this.events.size > MAX_EVENTS && oldest !== undefined) this.events.delete(oldest);
    }
    hints.shardIds = shardIds;
    hints.seenAtMs = this.now();
    for (const shard of shards) hints.remaining.set(shard.id, remainingOf(shard));
  }

  /**
   * A random shard of `ids` not seen empty, preferring one no booking here picked in the last moments, and
   * marks it picked; undefined when every one was seen empty.
   */
  pick(eventId: string, ids: readonly string[]): string | undefined {
    const hints = this.events.get(eventId);
    const now = this.now();
    const open = ids.filter((id) => hints?.remaining.get(id) !== 0);
    const idle = open.filter((id) => (hints?.pickedUntil.get(id) ?? 0) <= now);
    const from = idle.length > 0 ? idle : open;
    const id = from[Math.floor(this.random() * from.length)];
    if (id !== undefined) hints?.pickedUntil.set(id, now + PICKED_MS);
    return id;
  }

  /** Whether a booking here saw a shard of the event with `quantity` tickets left in the last 30 s. */
  seemsToHave(eventId: string, quantity: number): boolean {
    const hints = this.events.get(eventId);
    if (hints === undefined || this.now() - hints.seenAtMs > FRESH_MS) return false;
    for (const left of hints.remaining.values()) if (left >= quantity) return true;
    return false;
  }
}
