import { bookingPageSchema } from '../shared/bookings/booking-response-schemas';
import { myBookingsQuerySchema } from '../shared/bookings/booking-schemas';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `GET /myBookings?limit=&cursor=`: the caller's own bookings, newest first. */
export const myBookings = defineHttpFunction({
  name: 'myBookings',
  method: 'GET',
  access: 'user',
  query: myBookingsQuerySchema,
  docs: {
    tag: 'Bookings',
    summary: "The caller's bookings, newest first",
    response: { status: 200, description: 'One page of bookings.', schema: bookingPageSchema },
  },
  handle: async ({ caller, query }) => {
    const { bookingReader } = await import('../shared/bookings/swept-booking-services');
    return { status: 200, body: await bookingReader().myBookings(caller.uid, query) };
  },
});
