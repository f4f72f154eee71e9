import type { Firestore } from 'firebase-admin/firestore';
import { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import { sweptHoldReleaseService } from '../bookings/swept-booking-services';
import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import type { TicketInventory } from '../inventory/inventory-store';
import { inventoryStore } from '../inventory/inventory-store-factory';
import { systemClock } from '../time/clock';
import { WaitlistRepository } from './waitlist-repository';
import { WaitlistService, type WaitlistServiceDependencies } from './waitlist-service';

let service: WaitlistService | undefined;

/**
 * A waitlist service over `db` and `inventory`; `holdRelease` releases an event's lapsed holds before a join.
 * The benchmark and tests build their own.
 */
export function createWaitlistService(
  db: Firestore,
  inventory: TicketInventory,
  holdRelease: WaitlistServiceDependencies['holdRelease'],
): WaitlistService {
  return new WaitlistService({
    db,
    events: new EventRepository(db),
    entries: new WaitlistRepository(db),
    inventory,
    holdRelease,
    deletions: new AccountDeletionRepository(db),
    clock: systemClock,
  });
}

/**
 * The waitlist service of the functions that Terraform grants no Pub/Sub topic (`myWaitlist`,
 * `leaveWaitlist`, account export and deletion, event cancellation; decision 270), built on first use:
 * none of them joins, the one path that releases lapsed holds, so its hold release publishes nothing.
 */
export function sweptWaitlistService(): WaitlistService {
  service ??= createWaitlistService(firestore(), inventoryStore(), sweptHoldReleaseService());
  return service;
}
