import { defineHttpFunction } from '../shared/http/define-http-function';
import {
  stripeEventSchema,
  stripeSignatureHeaderSchema,
  webhookReceiptSchema,
} from '../shared/payments/payment-response-schemas';

/**
 * `POST /stripeWebhook`: Stripe's signed events. No ID token: the signature over the raw body authenticates
 * Stripe. Infrastructure failures answer 5xx so that Stripe delivers the event again.
 */
export const stripeWebhook = defineHttpFunction({
  name: 'stripeWebhook',
  method: 'POST',
  access: 'none',
  docs: {
    tag: 'Payments',
    summary: "Stripe's signed events (called by Stripe)",
    description:
      'No ID token: `Stripe-Signature` over the raw body authenticates Stripe, and a bad or missing signature ' +
      'answers 400 with nothing changed, as does a signed body that is not a Stripe event. Every event is ' +
      'applied at most once and never moves a booking backwards; unknown event types, and events about a ' +
      'PaymentIntent Stripe does not know, answer 200 and are ignored. A refund that arrives before its ' +
      "payment's success answers 409 `event-out-of-order`; it, 5xx and 429 make Stripe deliver again.",
    headers: [
      {
        name: 'Stripe-Signature',
        required: true,
        description: "Stripe's signature of this delivery.",
        schema: stripeSignatureHeaderSchema,
      },
    ],
    rawBody: {
      description: 'The event, verified byte for byte against the signature.',
      schema: stripeEventSchema,
    },
    response: { status: 200, description: 'Received.', schema: webhookReceiptSchema },
    problems: ['event-out-of-order', 'rate-limited'],
  },
  handle: async ({ req }) => {
    const { paymentWebhookService } = await import('../shared/payments/webhook-services');
    return {
      status: 200,
      body: await paymentWebhookService().handle(req.rawBody ?? Buffer.alloc(0), req.get('stripe-signature')),
    };
  },
});
