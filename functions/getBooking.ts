import { bookingEnvelopeSchema } from '../shared/bookings/booking-response-schemas';
import { getBookingQuerySchema } from '../shared/bookings/booking-schemas';
import { getBookingAnswer } from '../shared/http/booking-answers';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `GET /getBooking?id=`: a booking, for its owner or an admin of the event's company. */
export const getBooking = defineHttpFunction({
  name: 'getBooking',
  method: 'GET',
  access: 'signed-in',
  query: getBookingQuerySchema,
  docs: {
    tag: 'Bookings',
    summary: 'Read one booking',
    description: "For its owner or an admin of the event's company; anyone else gets 404.",
    response: { status: 200, description: 'The booking.', schema: bookingEnvelopeSchema },
    problems: ['not-found'],
  },
  handle: async ({ caller, query }) => {
    const { bookingReader } = await import('../shared/bookings/swept-booking-services');
    return getBookingAnswer(await bookingReader().getBooking(caller, query.id));
  },
});
