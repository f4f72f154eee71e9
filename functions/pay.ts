import { defineHttpFunction } from '../shared/http/define-http-function';
import { payBodySchema } from '../shared/payments/payment-schemas';
import { paymentService } from '../shared/payments/payment-services';

/** `POST /pay`: the owner of a held booking gets its Stripe PaymentIntent to pay with PaymentSheet. */
export const pay = defineHttpFunction({
  name: 'pay',
  method: 'POST',
  access: 'user',
  body: payBodySchema,
  handle: async ({ caller, body }) => ({
    status: 200,
    body: await paymentService().pay(caller.uid, body.bookingId),
  }),
});
