import { cancelBookingBodySchema } from '../shared/bookings/booking-schemas';
import { defineHttpFunction } from '../shared/http/define-http-function';
import { cancelOrRefundBooking } from '../shared/payments/booking-cancellation';

/**
 * `POST /cancelBooking`: the owner cancels a held booking (its tickets return to sale at once) or has a
 * confirmed one refunded (`refund_pending`, then `refunded` when Stripe reports the refund).
 */
export const cancelBooking = defineHttpFunction({
  name: 'cancelBooking',
  method: 'POST',
  access: 'user',
  body: cancelBookingBodySchema,
  handle: async ({ caller, body }) => ({
    status: 200,
    body: await cancelOrRefundBooking(caller.uid, body.bookingId),
  }),
});
