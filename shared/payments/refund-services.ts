import { BookingRepository } from '../bookings/booking-repository';
import { systemClock } from '../bookings/clock';
import { firestore } from '../firebase/firestore';
import { BookingPaymentFieldsRepository } from './booking-payment-fields';
import { paymentGateway } from './payment-gateway-factory';
import { PaymentRepository } from './payment-repository';
import { RefundService } from './refund-service';

let refunds: RefundService | undefined;

/**
 * The refund service wired to Firestore and Stripe, built on first use. Import this module lazily
 * (`await import`): it loads the Stripe SDK, which cancelling a mere hold must not pay for.
 */
export function refundService(): RefundService {
  refunds ??= new RefundService({
    db: firestore(),
    bookings: new BookingRepository(firestore()),
    bookingPayments: new BookingPaymentFieldsRepository(firestore()),
    payments: new PaymentRepository(firestore()),
    gateway: paymentGateway(),
    clock: systemClock,
  });
  return refunds;
}
