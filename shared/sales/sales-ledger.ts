import { FieldValue, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { ShardTake } from '../inventory/ticket-reservation';
import {
  cellKey,
  parseCellKey,
  refundByUnitPrice,
  ticketsByUnitPrice,
  utcDate,
  type SalesCell,
} from './sales-report';

/** Collection, under an event, of its sales counters. */
export const SALES_COUNTERS_COLLECTION = 'salesCounters';

/** What the ledger needs of a confirmed booking. */
export interface SaleFacts {
  readonly eventId: string;
  /** ISO 4217, upper case, as fixed on the booking. */
  readonly currency: string;
  /** Fixed at hold time, ticket by ticket. */
  readonly unitPrices: readonly number[];
  /** The shards the sold tickets sit on; the first one names the counter document. */
  readonly allocation: readonly ShardTake[];
}

const counterDocument = z.object({
  cells: z
    .record(
      z.string(),
      z.object({
        sold: z.number().default(0),
        refunded: z.number().default(0),
        refundedAmount: z.number().default(0),
      }),
    )
    .default({}),
});

/**
 * The sales aggregates of an event, kept up to date in the transactions that confirm and refund bookings,
 * so that the sales report reads a few counter documents instead of every booking.
 *
 * `events/{eventId}/salesCounters/{shardId}` holds
 * `cells: { EUR_2500_20261126: { sold, refunded, refundedAmount } }`
 * (see {@link cellKey}). A sale is counted on the document named after the first shard of its allocation,
 * so confirmations spread over as many documents as the on-sale's bookings spread over shards, and no
 * per-event document becomes a queue. The counters live beside the shards rather than on them: bookings
 * rewrite shard documents whole and resizes delete empty ones, and neither should have to carry sales.
 * Only blind increments are written (no reads), so payments never wait on each other's counter locks.
 */
export class SalesLedger {
  constructor(private readonly db: Firestore) {}

  /** Counts a confirmed booking's tickets on the UTC day of `confirmedAt`. Writes only. */
  recordSale(tx: Transaction, sale: SaleFacts, confirmedAt: Date): void {
    this.write(tx, sale, confirmedAt, (tickets) => ({ sold: FieldValue.increment(tickets) }));
  }

  /**
   * Counts a whole refund against the day the booking's sale was confirmed (`confirmedAt`): its tickets
   * as refunded, and the `partiallyRefunded` money counted before given back to the cells, since the
   * tickets' whole price now leaves the revenue. Writes only.
   */
  recordRefund(tx: Transaction, sale: SaleFacts, confirmedAt: Date, partiallyRefunded: number): void {
    const before = refundByUnitPrice(sale.unitPrices, partiallyRefunded);
    this.write(tx, sale, confirmedAt, (tickets, unitPrice) => ({
      refunded: FieldValue.increment(tickets),
      refundedAmount: FieldValue.increment(-(before.get(unitPrice) ?? 0)),
    }));
  }

  /**
   * Counts a partial refund, the booking's refunds growing from `from` to `to` in total: its tickets stay
   * sold, the revenue of the day of its sale drops by `to - from`, spread over its unit prices by
   * {@link refundByUnitPrice}. Writes only.
   */
  recordPartialRefund(tx: Transaction, sale: SaleFacts, confirmedAt: Date, from: number, to: number): void {
    const before = refundByUnitPrice(sale.unitPrices, from);
    const after = refundByUnitPrice(sale.unitPrices, to);
    this.write(tx, sale, confirmedAt, (_tickets, unitPrice) => ({
      refundedAmount: FieldValue.increment((after.get(unitPrice) ?? 0) - (before.get(unitPrice) ?? 0)),
    }));
  }

  /** Every cell of the event's counters, read in `tx`. */
  async cellsIn(tx: Transaction, eventId: string): Promise<SalesCell[]> {
    const snapshot = await tx.get(this.counters(eventId));
    return snapshot.docs.flatMap((doc) =>
      Object.entries(counterDocument.parse(doc.data()).cells).flatMap(([key, counts]) => {
        const cell = parseCellKey(key);
        return cell === undefined ? [] : [{ ...cell, ...counts }];
      }),
    );
  }

  /** One merge into the booking's cells: `change` says what to add to the cell of each unit price. */
  private write(
    tx: Transaction,
    sale: SaleFacts,
    confirmedAt: Date,
    change: (tickets: number, unitPrice: number) => Record<string, FieldValue>,
  ): void {
    const first = sale.allocation[0];
    if (first === undefined) throw new Error(`A sale of event ${sale.eventId} has no allocation`);
    const date = utcDate(confirmedAt);
    const cells = Object.fromEntries(
      [...ticketsByUnitPrice(sale.unitPrices)].map(([unitPrice, tickets]) => [
        cellKey(sale.currency, unitPrice, date),
        change(tickets, unitPrice),
      ]),
    );
    // A merge creates the document on its first sale and leaves every other cell alone.
    tx.set(this.counters(sale.eventId).doc(first.shardId), { cells }, { merge: true });
  }

  private counters(eventId: string) {
    return this.db.collection('events').doc(eventId).collection(SALES_COUNTERS_COLLECTION);
  }
}
