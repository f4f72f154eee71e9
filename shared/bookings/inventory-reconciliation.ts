import type { Firestore } from 'firebase-admin/firestore';
import type { EventRepository } from '../events/event-repository';
import {
  inventoryBalance,
  ticketDifference,
  type BookedTickets,
  type InventoryBalance,
} from '../inventory/inventory-balance';
import { fromShardSnapshot, InventoryPaths } from '../inventory/inventory-documents';
import { logger } from '../logging/logger';
import { ticketStateOf } from './booking';
import type { BookingRepository } from './booking-repository';
import { settleWithConcurrency } from '../async/bounded-concurrency';
import type { Clock } from '../time/clock';

/** The message of the ERROR line an alert matches (docs/observability.md, Inventory reconciliation). */
export const INVENTORY_IMBALANCE_MESSAGE = 'inventory out of balance';

/** Events one run checks, the soonest-starting first: far more than are ever on sale at once. */
export const MAX_RECONCILED_EVENTS = 500;

/** Events checked at once; each is one read-only transaction over its shards and bookings. */
const CONCURRENT_EVENTS = 8;

/** What one run found. */
export interface ReconciliationSummary {
  readonly checkedEvents: number;
  readonly unbalancedEvents: number;
  readonly failedEvents: number;
}

/**
 * Checks that each upcoming event's shard counters equal the tickets its live bookings record in their
 * allocations (docs/inventory.md, Reconciliation). Nothing else in production would notice an oversell;
 * this only reads and logs, and repairs nothing: a difference needs a person to find its cause.
 */
export class InventoryReconciliation {
  private readonly paths: InventoryPaths;

  constructor(
    private readonly db: Firestore,
    private readonly events: EventRepository,
    private readonly bookings: BookingRepository,
    private readonly clock: Clock,
  ) {
    this.paths = new InventoryPaths(db);
  }

  /** One run over the events that have not started (Cloud Scheduler calls it). */
  async reconcileUpcomingEvents(limit: number): Promise<ReconciliationSummary> {
    const eventIds = await this.events.idsStartingAfter(this.clock.now(), limit);
    const outcomes = await settleWithConcurrency(eventIds, CONCURRENT_EVENTS, (id) =>
      this.reconcileEvent(id),
    );
    let unbalancedEvents = 0;
    let failedEvents = 0;
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected') {
        failedEvents += 1;
        logger.error('inventory reconciliation of an event failed; the next run checks it again', {
          eventId: eventIds[index],
          err: outcome.reason,
        });
      } else if (outcome.value.unbalancedShards.length > 0) {
        unbalancedEvents += 1;
      }
    });
    return { checkedEvents: eventIds.length - failedEvents, unbalancedEvents, failedEvents };
  }

  /**
   * Compares one event's shards with its live bookings, read in one read-only transaction, so at one
   * snapshot: a booking committing meanwhile is either wholly in it (booking and shard writes) or not at
   * all, and cannot show as a difference. Logs {@link INVENTORY_IMBALANCE_MESSAGE} at ERROR on any difference.
   */
  async reconcileEvent(eventId: string): Promise<InventoryBalance> {
    const [shards, bookings] = await this.db.runTransaction(
      (tx) => Promise.all([tx.get(this.paths.shards(eventId)), this.bookings.ticketsOfEventIn(tx, eventId)]),
      { readOnly: true },
    );
    const live = bookings.flatMap(({ status, allocation }): BookedTickets[] => {
      const state = ticketStateOf(status);
      return state === undefined ? [] : [{ state, takes: allocation }];
    });
    const balance = inventoryBalance(shards.docs.map(fromShardSnapshot), live);
    if (balance.unbalancedShards.length > 0) {
      logger.error(INVENTORY_IMBALANCE_MESSAGE, {
        eventId,
        ticketDifference: balance.pools.reduce((sum, pool) => sum + ticketDifference(pool), 0),
        pools: balance.pools.map((pool) => ({ ...pool, ticketDifference: ticketDifference(pool) })),
        unbalancedShards: balance.unbalancedShards,
      });
    }
    return balance;
  }
}
