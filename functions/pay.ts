import { defineHttpFunction } from '../shared/http/define-http-function';
import { paymentEnvelopeSchema } from '../shared/payments/payment-response-schemas';
import { payBodySchema } from '../shared/payments/payment-schemas';

/** `POST /pay`: the owner of a held booking gets its Stripe PaymentIntent to pay with PaymentSheet. */
export const pay = defineHttpFunction({
  name: 'pay',
  method: 'POST',
  access: 'user',
  body: payBodySchema,
  docs: {
    tag: 'Payments',
    summary: 'Get the Stripe PaymentIntent of a held booking',
    description:
      "Creates, or returns the open, PaymentIntent for exactly the booking's `total`; confirm it on the " +
      "device with Stripe's PaymentSheet and `clientSecret`. Only a `held` booking can be paid (409 otherwise).",
    response: { status: 200, description: 'The payment attempt.', schema: paymentEnvelopeSchema },
    problems: ['not-found', 'invalid-state', 'event-cancelled', 'rate-limited'],
  },
  handle: async ({ caller, body }) => {
    const { paymentService } = await import('../shared/payments/payment-services');
    return { status: 200, body: await paymentService().pay(caller.uid, body.bookingId) };
  },
});
