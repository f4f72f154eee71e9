import { bookBodySchema, parseIdempotencyKey } from '../shared/bookings/booking-schemas';
import { bookingService } from '../shared/bookings/booking-services';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `POST /book`: holds tickets of an event for the caller until the hold's payment window closes. */
export const book = defineHttpFunction({
  name: 'book',
  method: 'POST',
  access: 'user',
  body: bookBodySchema,
  handle: ({ caller, body, req }) =>
    bookingService().book(caller.uid, body, parseIdempotencyKey(req.get('idempotency-key'))),
});
