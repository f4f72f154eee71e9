import { myBookingsQuerySchema } from '../shared/bookings/booking-schemas';
import { bookingService } from '../shared/bookings/booking-services';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `GET /myBookings?limit=&cursor=`: the caller's own bookings, newest first. */
export const myBookings = defineHttpFunction({
  name: 'myBookings',
  method: 'GET',
  access: 'user',
  query: myBookingsQuerySchema,
  handle: async ({ caller, query }) => ({
    status: 200,
    body: await bookingService().myBookings(caller.uid, query),
  }),
});
