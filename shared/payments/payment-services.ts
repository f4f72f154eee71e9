import { productionPaymentDependencies } from './payment-dependencies';
import { PaymentService } from './payment-service';

let payments: PaymentService | undefined;

/** The payment service wired to Firestore and Stripe, built on first use. */
export function paymentService(): PaymentService {
  payments ??= new PaymentService(productionPaymentDependencies());
  return payments;
}
