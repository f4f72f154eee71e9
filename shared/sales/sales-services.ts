import { BookingRepository } from '../bookings/booking-repository';
import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import { inventoryStore } from '../inventory/inventory-store-factory';
import { TicketRepository } from '../tickets/ticket-repository';
import { SalesLedger } from './sales-ledger';
import { SalesService } from './sales-service';

let sales: SalesService | undefined;

/** The sales report service wired to Firestore, built on first use. */
export function salesService(): SalesService {
  sales ??= new SalesService(
    firestore(),
    new EventRepository(firestore()),
    inventoryStore(),
    new SalesLedger(firestore()),
    new TicketRepository(firestore()),
    new BookingRepository(firestore()),
  );
  return sales;
}
