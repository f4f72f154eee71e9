import { BookingRepository } from '../bookings/booking-repository';
import { firestore } from '../firebase/firestore';
import { TicketIssuer } from './ticket-issuer';

let issuer: TicketIssuer | undefined;

/** The ticket issuer wired to Firestore, built on first use. */
export function ticketIssuer(): TicketIssuer {
  issuer ??= new TicketIssuer(firestore(), new BookingRepository(firestore()));
  return issuer;
}
