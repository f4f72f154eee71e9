import type { TicketCounts } from '../inventory/inventory-store';
import type { EventSalesResponse, RevenueReport } from './sales-response-schemas';

/**
 * One counter cell of the sales ledger: the tickets of one currency and unit price whose sale was confirmed
 * on one UTC day, and how many of those were refunded since. Refunds count against the day of the sale, so
 * every cell stays non-negative and `sold - refunded` is what that day's sales are still worth.
 */
export interface SalesCell {
  readonly currency: string;
  readonly unitPrice: number;
  /** UTC date of the confirmation, `YYYY-MM-DD`. */
  readonly date: string;
  readonly sold: number;
  readonly refunded: number;
  /**
   * Money given back by partial refunds of sales still counted in `sold - refunded` (minor units): the
   * tickets stay sold, their revenue drops by this much.
   */
  readonly refundedAmount: number;
}

const CELL_KEY = /^([A-Z]{3})_(\d{1,9})_(\d{4})(\d{2})(\d{2})$/;

/** The UTC calendar date of an instant, `YYYY-MM-DD`. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * The map key of a cell, `EUR_2500_20261126`: letters, digits and `_` only, so it is a plain Firestore
 * field name that needs no quoting in field paths.
 */
export function cellKey(currency: string, unitPrice: number, date: string): string {
  return `${currency}_${unitPrice}_${date.replaceAll('-', '')}`;
}

/** The currency, unit price and date of a cell key; undefined for anything {@link cellKey} cannot produce. */
export function parseCellKey(key: string): Pick<SalesCell, 'currency' | 'unitPrice' | 'date'> | undefined {
  const match = CELL_KEY.exec(key);
  if (match === null) return undefined;
  const [, currency = '', price = '', year = '', month = '', day = ''] = match;
  return { currency, unitPrice: Number(price), date: `${year}-${month}-${day}` };
}

/** How many tickets of a booking sell at each unit price (a booking crossing the threshold has two). */
export function ticketsByUnitPrice(unitPrices: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const price of unitPrices) counts.set(price, (counts.get(price) ?? 0) + 1);
  return counts;
}

/**
 * How a booking's partial refunds of `amount` in total spread over its unit prices: the most expensive
 * tickets first, never more than the tickets of a price cost. The spread of a larger total contains the
 * spread of a smaller one, so refunds that grow one by one move each price's share only upwards.
 */
export function refundByUnitPrice(unitPrices: readonly number[], amount: number): Map<number, number> {
  const shares = new Map<number, number>();
  let left = amount;
  for (const [unitPrice, tickets] of [...ticketsByUnitPrice(unitPrices)].sort(([a], [b]) => b - a)) {
    const share = Math.min(left, unitPrice * tickets);
    shares.set(unitPrice, share);
    left -= share;
  }
  return shares;
}

function revenueOf(currency: string, cells: readonly SalesCell[]): RevenueReport {
  const byUnitPrice = new Map<number, { tickets: number; amount: number }>();
  const byDate = new Map<string, { tickets: number; amount: number }>();
  for (const cell of cells) {
    const tickets = cell.sold - cell.refunded;
    const amount = tickets * cell.unitPrice - cell.refundedAmount;
    const line = byUnitPrice.get(cell.unitPrice) ?? { tickets: 0, amount: 0 };
    byUnitPrice.set(cell.unitPrice, { tickets: line.tickets + tickets, amount: line.amount + amount });
    const day = byDate.get(cell.date) ?? { tickets: 0, amount: 0 };
    byDate.set(cell.date, { tickets: day.tickets + tickets, amount: day.amount + amount });
  }
  const byPrice = [...byUnitPrice]
    .filter(([, line]) => line.tickets > 0)
    .sort(([a], [b]) => a - b)
    .map(([unitPrice, line]) => ({ unitPrice, ...line }));
  const byDay = [...byDate]
    .filter(([, day]) => day.tickets > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, day]) => ({ date, ...day }));
  return { total: byPrice.reduce((sum, line) => sum + line.amount, 0), currency, byPrice, byDay };
}

/**
 * The sales report of an event from its shard counts and its ledger cells (see docs/payments.md).
 * Revenue is net of refunds and grouped by the unit price each ticket was sold at, which the booking fixed
 * at hold time. `revenue` is in the event's current currency; sales made before a change of currency are
 * reported apart, one entry per other currency, because amounts of different currencies cannot be added.
 */
export function buildSalesReport(input: {
  readonly eventId: string;
  readonly currency: string;
  readonly counts: TicketCounts;
  readonly cells: readonly SalesCell[];
  readonly checkedIn: number;
  readonly refundFailed: number;
}): EventSalesResponse {
  const byCurrency = new Map<string, SalesCell[]>();
  for (const cell of input.cells)
    byCurrency.set(cell.currency, [...(byCurrency.get(cell.currency) ?? []), cell]);
  const others = [...byCurrency]
    .filter(([currency]) => currency !== input.currency)
    .map(([currency, cells]) => revenueOf(currency, cells))
    .filter((revenue) => revenue.total > 0)
    .sort((a, b) => a.currency.localeCompare(b.currency));
  return {
    eventId: input.eventId,
    held: input.counts.held,
    sold: input.counts.sold,
    refunded: input.cells.reduce((sum, cell) => sum + cell.refunded, 0),
    refundFailed: input.refundFailed,
    checkedIn: input.checkedIn,
    revenue: revenueOf(input.currency, byCurrency.get(input.currency) ?? []),
    revenueInOtherCurrencies: others,
  };
}
