import type { Firestore } from 'firebase-admin/firestore';
import { AuditLog } from '../audit/audit-log';
import { BookingRepository } from '../bookings/booking-repository';
import { systemClock, type Clock } from '../time/clock';
import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import { TicketRepository } from '../tickets/ticket-repository';
import { BookingPaymentFieldsRepository } from './booking-payment-fields';
import type { PaymentGateway } from './payment-gateway';
import { paymentGateway } from './payment-gateway-factory';
import { PaymentRepository } from './payment-repository';

/**
 * What the payment and refund services work with: Firestore, its repositories, the audit trail, Stripe and
 * a clock.
 */
export interface PaymentDependencies {
  readonly db: Firestore;
  readonly bookings: BookingRepository;
  readonly bookingPayments: BookingPaymentFieldsRepository;
  readonly payments: PaymentRepository;
  /** Events, for the rules that depend on when an event starts. */
  readonly eventRepository: EventRepository;
  /** Ticket door records, voided when a booking leaves `confirmed`. */
  readonly tickets: TicketRepository;
  readonly audit: AuditLog;
  readonly gateway: PaymentGateway;
  readonly clock: Clock;
}

/** The collaborators over one Firestore client, with the given gateway and clock. */
export function paymentDependencies(
  db: Firestore,
  gateway: PaymentGateway,
  clock: Clock,
): PaymentDependencies {
  return {
    db,
    bookings: new BookingRepository(db),
    bookingPayments: new BookingPaymentFieldsRepository(db),
    payments: new PaymentRepository(db),
    eventRepository: new EventRepository(db),
    tickets: new TicketRepository(db),
    audit: new AuditLog(db),
    gateway,
    clock,
  };
}

/**
 * The production collaborators, wired to Firestore and Stripe. Import this module lazily where Stripe is
 * only sometimes needed: it loads the Stripe SDK.
 */
export function productionPaymentDependencies(): PaymentDependencies {
  return paymentDependencies(firestore(), paymentGateway(), systemClock);
}
