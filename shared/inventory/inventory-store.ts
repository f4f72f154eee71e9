import type { Transaction } from 'firebase-admin/firestore';
import type { InventoryLayout } from './shard-layout';
import type { Reservation, ShardTake } from './ticket-reservation';

/** What is left to sell of one event, derived from its inventory shards. */
export interface Availability {
  /** Tickets neither held nor sold. */
  readonly availableTickets: number;
  /** Of those, tickets still on sale at the base price. */
  readonly baseAvailable: number;
}

/** Held and sold tickets of one event, summed over its shards. */
export interface TicketCounts {
  readonly held: number;
  readonly sold: number;
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

  /** The event's ticket counts, read in `tx` by one aggregation query; undefined without inventory. */
  ticketCounts(tx: Transaction, eventId: string): Promise<TicketCounts | undefined>;
}

/** A reservation planned inside a booking transaction; `apply` writes it after all reads of the transaction. */
export interface PreparedReservation {
  readonly reservation: Reservation;
  apply(): void;
}

/** Where tickets being returned to their shards currently are. */
export type TicketState = 'held' | 'sold';

/**
 * The inventory as the booking engine sees it: the events view plus taking and returning tickets. The
 * methods that write take the shard allocation stored on the booking, so tickets go back where they came from.
 */
export interface TicketInventory extends InventoryStore {
  /**
   * Whether a booking here saw a shard of the event with at least `quantity` tickets in the last 30 s:
   * lock-free availability reads would then only say "go ahead".
   */
  seemsAvailableHere(eventId: string, quantity: number): boolean;

  /**
   * Reads the shards in `tx` and plans holding `quantity` tickets, base price first (see
   * `reserveTickets`). Undefined when the event has fewer tickets left, or no inventory at all.
   */
  prepareReservation(
    tx: Transaction,
    eventId: string,
    quantity: number,
  ): Promise<PreparedReservation | undefined>;

  /** Returns tickets to their shards (a hold that expired or was cancelled, a refunded sale). Writes only. */
  release(tx: Transaction, eventId: string, takes: readonly ShardTake[], from: TicketState): void;

  /** Turns held tickets into sold ones (a confirmed payment). Writes only. */
  markSold(tx: Transaction, eventId: string, takes: readonly ShardTake[]): void;
}
