import { productionPaymentDependencies } from './payment-dependencies';
import { RefundService } from './refund-service';

let refunds: RefundService | undefined;

/**
 * The refund service wired to Firestore and Stripe, built on first use. Import this module lazily
 * (`await import`): it loads the Stripe SDK, which cancelling a mere hold must not pay for.
 */
export function refundService(): RefundService {
  refunds ??= new RefundService(productionPaymentDependencies());
  return refunds;
}
