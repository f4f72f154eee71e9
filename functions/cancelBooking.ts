import { bookingEnvelopeSchema } from '../shared/bookings/booking-response-schemas';
import { cancelBookingBodySchema } from '../shared/bookings/booking-schemas';
import { cancelBookingAnswer } from '../shared/http/booking-answers';
import { defineHttpFunction } from '../shared/http/define-http-function';

/**
 * `POST /cancelBooking`: the owner cancels a held booking (its tickets return to sale at once) or has a
 * confirmed one refunded (`refund_pending`, then `refunded` when Stripe reports the refund).
 */
export const cancelBooking = defineHttpFunction({
  name: 'cancelBooking',
  method: 'POST',
  access: 'user',
  body: cancelBookingBodySchema,
  docs: {
    tag: 'Bookings',
    summary: 'Cancel a hold or have a paid booking refunded',
    description:
      '`held` → `cancelled`, tickets back on sale at once; `confirmed` → `refund_pending` (a Stripe refund is ' +
      'created, its tickets become `void`), later `refunded`. A confirmed booking can no longer be refunded ' +
      'once its event has started (409 `event-started`) or one of its tickets is checked in (409 ' +
      "`already-checked-in`). Other states answer 409 `invalid-state`; someone else's booking is 404.",
    response: { status: 200, description: 'The booking in its new state.', schema: bookingEnvelopeSchema },
    problems: ['not-found', 'invalid-state', 'event-started', 'already-checked-in', 'rate-limited'],
  },
  handle: async ({ caller, body }) => {
    const { cancelOrRefundBooking } = await import('../shared/payments/booking-cancellation');
    return cancelBookingAnswer(await cancelOrRefundBooking(caller.uid, body.bookingId));
  },
});
