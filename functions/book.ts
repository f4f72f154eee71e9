import { bookingEnvelopeSchema } from '../shared/bookings/booking-response-schemas';
import {
  bookBodySchema,
  idempotencyKeyHeaderSchema,
  parseIdempotencyKey,
} from '../shared/bookings/booking-schemas';
import { bookAnswer } from '../shared/http/booking-answers';
import { defineHttpFunction } from '../shared/http/define-http-function';

/** `POST /book`: holds tickets of an event for the caller until the hold's payment window closes. */
export const book = defineHttpFunction({
  name: 'book',
  method: 'POST',
  access: 'user',
  body: bookBodySchema,
  docs: {
    tag: 'Bookings',
    summary: 'Hold tickets of an event',
    description:
      'Holds `quantity` tickets until `expiresAt` at prices fixed now (the first `surgeThreshold` tickets of ' +
      "an event sell at `basePrice`, later ones at `surgePrice`). One user's live holds on one event may " +
      'not exceed its `maxTicketsPerBooking`. With `Idempotency-Key`, the same key and body replay the first ' +
      'success byte for byte.',
    headers: [
      {
        name: 'Idempotency-Key',
        required: false,
        description: 'Makes retries safe for 24 hours; the same key with another body answers 409.',
        schema: idempotencyKeyHeaderSchema,
      },
    ],
    response: { status: 201, description: 'The held booking.', schema: bookingEnvelopeSchema },
    problems: [
      'not-found',
      'event-started',
      'event-cancelled',
      'sold-out',
      'hold-limit-reached',
      'idempotency-key-reused',
      'rate-limited',
    ],
  },
  handle: async ({ caller, body, req }) => {
    const { bookingService } = await import('../shared/bookings/booking-services');
    return bookAnswer(
      await bookingService().book(caller.uid, body, parseIdempotencyKey(req.get('idempotency-key'))),
    );
  },
});
