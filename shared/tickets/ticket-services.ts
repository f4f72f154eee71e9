import { BookingRepository } from '../bookings/booking-repository';
import { getConfig } from '../config/config';
import { firestore } from '../firebase/firestore';
import { TicketIssuer } from './ticket-issuer';
import { TicketRepository } from './ticket-repository';
import { TicketSigner } from './ticket-signing';

let issuer: TicketIssuer | undefined;

/** The ticket issuer wired to Firestore and the deployment's signing key, built on first use. */
export function ticketIssuer(): TicketIssuer {
  issuer ??= new TicketIssuer(
    firestore(),
    new BookingRepository(firestore()),
    new TicketRepository(firestore()),
    new TicketSigner(getConfig().ticketSigningKey()),
  );
  return issuer;
}
