import type { Transaction } from 'firebase-admin/firestore';

/** How an event's tickets are split between the two price tiers. */
export interface InventoryLayout {
  readonly totalTickets: number;
  /** The first `surgeThreshold` tickets sell at the base price, the rest at the surge price. */
  readonly surgeThreshold: number;
}

/** What is left to sell of one event, derived from its inventory shards. */
export interface Availability {
  /** Tickets neither held nor sold. */
  readonly availableTickets: number;
  /** Of those, tickets still on sale at the base price. */
  readonly baseAvailable: number;
}

/**
 * The event inventory as the events service sees it. The booking engine owns the shard documents; events
 * only create them, resize them and read availability. Methods that take a transaction follow Firestore's
 * rule that every read precedes every write: `prepareResize` only reads and returns the writes to apply.
 */
export interface InventoryStore {
  /** Writes the shard documents of a new event in the creating transaction (writes only). */
  initialise(tx: Transaction, eventId: string, layout: InventoryLayout): void;

  /**
   * Reads the event's shards in `tx` and plans the change to `next`. Throws `ConflictError('capacity-in-use')`
   * when tickets already held or sold do not fit the new layout. Call `apply` after all reads of `tx`.
   */
  prepareResize(
    tx: Transaction,
    eventId: string,
    current: InventoryLayout,
    next: InventoryLayout,
  ): Promise<{ apply(): void }>;

  /** Current availability of several events (no transaction; read-only). Missing ids are absent. */
  availability(eventIds: readonly string[]): Promise<Map<string, Availability>>;
}
