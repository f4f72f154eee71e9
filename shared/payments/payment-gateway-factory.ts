import { getConfig } from '../config/config';
import type { PaymentGateway } from './payment-gateway';
import { StripePaymentGateway } from './stripe-payment-gateway';

let gateway: PaymentGateway | undefined;

/** The process-wide payment gateway, configured from `shared/config` on first use. */
export function paymentGateway(): PaymentGateway {
  gateway ??= new StripePaymentGateway(getConfig().stripe());
  return gateway;
}
