import { getBookingQuerySchema } from '../shared/bookings/booking-schemas';
import { bookingService } from '../shared/bookings/booking-services';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `GET /getBooking?id=`: a booking, for its owner or an admin of the event's company. */
export const getBooking = defineHttpFunction({
  name: 'getBooking',
  method: 'GET',
  access: 'signed-in',
  query: getBookingQuerySchema,
  handle: async ({ caller, query }) => ({
    status: 200,
    body: await bookingService().getBooking(caller, query.id),
  }),
});
