import { BookingRepository } from '../bookings/booking-repository';
import { systemClock } from '../time/clock';
import { getConfig } from '../config/config';
import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import { UserRepository } from '../users/user-repository';
import { CheckInScanLog } from './check-in-scan-log';
import { CheckInService } from './check-in-service';
import { TicketRepository } from './ticket-repository';
import { TicketVerifier } from './ticket-signing';

let service: CheckInService | undefined;

/** The check-in service wired to Firestore and the published ticket keys, built on first use. */
export function checkInService(): CheckInService {
  const db = firestore();
  service ??= new CheckInService({
    db,
    tickets: new TicketRepository(db),
    bookings: new BookingRepository(db),
    events: new EventRepository(db),
    users: new UserRepository(db),
    scans: new CheckInScanLog(db),
    verifier: new TicketVerifier(getConfig().ticketPublicKeys()),
    clock: systemClock,
  });
  return service;
}
