import * as z from 'zod';
import { BOOKING_ID_PATTERN } from '../bookings/booking';

/** Body of `POST /pay`. */
export const payBodySchema = z.strictObject({
  bookingId: z.string().regex(BOOKING_ID_PATTERN, 'Not a booking id.'),
});
