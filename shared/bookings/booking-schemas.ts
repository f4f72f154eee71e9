import * as z from 'zod';
import { ValidationError } from '../errors/domain-errors';
import { EVENT_ID_PATTERN } from '../events/event';
import { EVENT_LIMITS } from '../events/event-schemas';
import { BOOKING_ID_PATTERN } from './booking';

/** Page sizes of `myBookings`. */
export const BOOKINGS_PAGE = { default: 20, max: 50 } as const;

const bookingId = z.string().regex(BOOKING_ID_PATTERN, 'Not a booking id.');

/**
 * Body of `POST /book`. The event's own `maxTicketsPerBooking` is checked by the service; the bound here is
 * the largest any event may set.
 */
export const bookBodySchema = z.strictObject({
  eventId: z.string().regex(EVENT_ID_PATTERN, 'Not an event id.'),
  quantity: z.int().min(1).max(EVENT_LIMITS.maxTicketsPerBooking.max),
});

/** Query of `GET /getBooking`. */
export const getBookingQuerySchema = z.strictObject({ id: bookingId });

/** Query of `GET /myBookings`; values arrive as strings. */
export const myBookingsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(BOOKINGS_PAGE.max).default(BOOKINGS_PAGE.default),
  cursor: z.string().min(1).max(512).optional(),
});

/** Body of `POST /cancelBooking`. */
export const cancelBookingBodySchema = z.strictObject({ bookingId });

export type BookBody = z.infer<typeof bookBodySchema>;
export type MyBookingsQuery = z.infer<typeof myBookingsQuerySchema>;

/** Stripe's rule for keys: 1 to 255 characters; visible ASCII keeps them safe to log and compare. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header of `book` as the OpenAPI document shows it; {@link parseIdempotencyKey} reads it. */
export const idempotencyKeyHeaderSchema = z.string().regex(IDEMPOTENCY_KEY);

/**
 * The `Idempotency-Key` header, if sent.
 *
 * @throws ValidationError when it is empty, longer than 255 characters or not visible ASCII
 */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (IDEMPOTENCY_KEY.test(header)) return header;
  throw new ValidationError('The Idempotency-Key header is invalid.', [
    { path: 'Idempotency-Key', message: 'Use 1 to 255 visible ASCII characters.' },
  ]);
}
