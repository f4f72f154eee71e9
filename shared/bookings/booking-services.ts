import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import { inventoryStore } from '../inventory/inventory-store-factory';
import { BookingRepository } from './booking-repository';
import { BookingService } from './booking-service';
import { systemClock } from './clock';
import { HoldReleaseService } from './hold-release-service';
import { IdempotencyStore } from './idempotency-store';
import { UserHoldRepository } from './user-hold-repository';

let holdReleases: HoldReleaseService | undefined;
let bookings: BookingService | undefined;

/** The hold release service wired to Firestore, built on first use. */
export function holdReleaseService(): HoldReleaseService {
  holdReleases ??= new HoldReleaseService(
    firestore(),
    new BookingRepository(firestore()),
    new UserHoldRepository(firestore()),
    inventoryStore(),
    systemClock,
  );
  return holdReleases;
}

/** The booking service wired to Firestore, built on first use. */
export function bookingService(): BookingService {
  bookings ??= new BookingService({
    db: firestore(),
    events: new EventRepository(firestore()),
    bookings: new BookingRepository(firestore()),
    holds: new UserHoldRepository(firestore()),
    idempotency: new IdempotencyStore(firestore()),
    inventory: inventoryStore(),
    holdRelease: holdReleaseService(),
    clock: systemClock,
  });
  return bookings;
}
