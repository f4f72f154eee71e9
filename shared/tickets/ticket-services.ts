import { BookingRepository } from '../bookings/booking-repository';
import { systemClock } from '../time/clock';
import { getConfig } from '../config/config';
import { UserNotificationOutbox } from '../notifications/user-notification';
import { outboxRelay } from '../pubsub/outbox-services';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { firestore } from '../firebase/firestore';
import { TicketIssuer } from './ticket-issuer';
import { TicketReconciler } from './ticket-reconciliation';
import { TicketRepository } from './ticket-repository';
import { TicketSigner } from './ticket-signing';
import { TicketsDueRepository } from './tickets-due';

let issuer: TicketIssuer | undefined;
let reconciler: TicketReconciler | undefined;

/** The ticket issuer wired to Firestore and the deployment's signing key, built on first use. */
export function ticketIssuer(): TicketIssuer {
  issuer ??= new TicketIssuer(
    firestore(),
    new BookingRepository(firestore()),
    new TicketRepository(firestore()),
    new TicketSigner(getConfig().ticketSigningKey()),
    new UserNotificationOutbox(new OutboxRepository(firestore())),
    outboxRelay(),
  );
  return issuer;
}

/** The reconciliation of paid bookings without tickets, wired to Firestore, built on first use. */
export function ticketReconciler(): TicketReconciler {
  reconciler ??= new TicketReconciler(
    new TicketsDueRepository(firestore()),
    ticketIssuer(),
    systemClock,
    getConfig().ticketsOverdueAfterMinutes,
  );
  return reconciler;
}
