import { AuditLog } from '../audit/audit-log';
import { CancellationJobRepository } from '../cancellations/cancellation-job-repository';
import { firestore } from '../firebase/firestore';
import { inventoryStore } from '../inventory/inventory-store-factory';
import { EventUpdateJobs } from '../notifications/event-update-jobs';
import { EventRepository } from './event-repository';
import { EventService } from './event-service';
import { EventSearchService } from './search/search-service';

let events: EventService | undefined;
let search: EventSearchService | undefined;

/** The event service wired to Firestore and the inventory, built on first use. */
export function eventService(): EventService {
  events ??= new EventService(
    firestore(),
    new EventRepository(firestore()),
    inventoryStore(),
    new AuditLog(firestore()),
    new CancellationJobRepository(firestore()),
    new EventUpdateJobs(firestore()),
  );
  return events;
}

/** The event search wired to Firestore and the inventory, built on first use. */
export function eventSearchService(): EventSearchService {
  search ??= new EventSearchService(new EventRepository(firestore()), inventoryStore());
  return search;
}
