import { defineHttpFunction } from '../shared/http/define-http-function';
import { paymentWebhookService } from '../shared/payments/webhook-services';

/**
 * `POST /stripeWebhook`: Stripe's signed events. No ID token: the signature over the raw body authenticates
 * Stripe. Infrastructure failures answer 5xx so that Stripe delivers the event again.
 */
export const stripeWebhook = defineHttpFunction({
  name: 'stripeWebhook',
  method: 'POST',
  access: 'none',
  handle: async ({ req }) => ({
    status: 200,
    body: await paymentWebhookService().handle(req.rawBody ?? Buffer.alloc(0), req.get('stripe-signature')),
  }),
});
