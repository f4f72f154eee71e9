import { BookingRepository } from '../bookings/booking-repository';
import { systemClock } from '../bookings/clock';
import { firestore } from '../firebase/firestore';
import { BookingPaymentFieldsRepository } from './booking-payment-fields';
import { paymentGateway } from './payment-gateway-factory';
import { PaymentRepository } from './payment-repository';
import { PaymentService } from './payment-service';

let payments: PaymentService | undefined;

/** The payment service wired to Firestore and Stripe, built on first use. */
export function paymentService(): PaymentService {
  payments ??= new PaymentService({
    db: firestore(),
    bookings: new BookingRepository(firestore()),
    bookingPayments: new BookingPaymentFieldsRepository(firestore()),
    payments: new PaymentRepository(firestore()),
    gateway: paymentGateway(),
    clock: systemClock,
  });
  return payments;
}
