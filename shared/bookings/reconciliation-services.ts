import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import { systemClock } from '../time/clock';
import { BookingRepository } from './booking-repository';
import { InventoryReconciliation } from './inventory-reconciliation';

let reconciliation: InventoryReconciliation | undefined;

/**
 * The inventory reconciliation wired to Firestore, built on first use. It only reads, so it is wired apart
 * from the booking services that may publish (decision 272).
 */
export function inventoryReconciliation(): InventoryReconciliation {
  reconciliation ??= new InventoryReconciliation(
    firestore(),
    new EventRepository(firestore()),
    new BookingRepository(firestore()),
    systemClock,
  );
  return reconciliation;
}
