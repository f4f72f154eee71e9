import type { Firestore } from 'firebase-admin/firestore';
import type { BookingRepository } from '../bookings/booking-repository';
import { NotFoundError } from '../errors/domain-errors';
import type { EventRepository } from '../events/event-repository';
import type { AdminCaller } from '../http/http-types';
import type { InventoryStore } from '../inventory/inventory-store';
import type { TicketRepository } from '../tickets/ticket-repository';
import type { SalesLedger } from './sales-ledger';
import { buildSalesReport } from './sales-report';
import type { EventSalesResponse } from './sales-response-schemas';

/** Answers the sales report of an event to the admins of its company. */
export class SalesService {
  constructor(
    private readonly db: Firestore,
    private readonly events: EventRepository,
    private readonly inventory: InventoryStore,
    private readonly ledger: SalesLedger,
    private readonly tickets: TicketRepository,
    private readonly bookings: BookingRepository,
  ) {}

  /**
   * Tickets held, sold, refunded and checked in and the revenue of one event, from its shard counts and its sales
   * counters: a few small documents whatever the number of bookings. Both are read in one read-only
   * transaction, so they agree with each other, and it takes no locks from bookings and payments.
   *
   * @throws NotFoundError when the event does not exist or belongs to another company (as `updateEvent`).
   */
  async eventSales(caller: AdminCaller, eventId: string): Promise<EventSalesResponse> {
    const event = await this.events.find(eventId);
    if (event === undefined || event.companyId !== caller.companyId)
      throw new NotFoundError('No such event.');
    // The check-in count is an aggregation over the ticket records, outside the transaction: doors keep
    // checking in while the report is read, and the count is exact as of its own read.
    const [[counts, cells], checkedIn, refundFailed] = await Promise.all([
      this.db.runTransaction(
        (tx) => Promise.all([this.inventory.ticketCounts(tx, eventId), this.ledger.cellsIn(tx, eventId)]),
        { readOnly: true },
      ),
      this.tickets.checkedInCount(eventId),
      this.bookings.ticketsInStatus(eventId, 'refund_failed'),
    ]);
    return buildSalesReport({
      eventId,
      currency: event.currency,
      counts: counts ?? { held: 0, sold: 0 },
      cells,
      checkedIn,
      refundFailed,
    });
  }
}
