import * as z from 'zod';
import { EVENT_ID_PATTERN } from './event';
import { decodeCursor } from './search/cursor';
import { FIRESTORE_TIME_RANGE } from './search/position';
import type { SearchRequest } from './search/search-filters';
import { parseTextQuery } from './search/tokens';

/** Bounds of event fields; see docs/decisions.md for why these values. */
export const EVENT_LIMITS = {
  nameLength: 120,
  venueLength: 200,
  descriptionLength: 2000,
  totalTickets: 1_000_000,
  /** Stripe's largest amount (8 digits of minor units). */
  price: 99_999_999,
  holdMinutes: { min: 1, max: 60, default: 15 },
  maxTicketsPerBooking: { min: 1, max: 50, default: 10 },
} as const;

/** Bounds of `searchEvents` parameters. */
export const SEARCH_LIMITS = {
  queryLength: 200,
  radiusKm: 500,
  limit: { min: 1, max: 50, default: 20 },
  cursorLength: 512,
} as const;

const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

const text = (max: number) => z.string().trim().min(1, 'Must not be blank.').max(max);

/** An ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`), as a `Date`. */
export const instant = z.iso
  .datetime({
    offset: true,
    message: 'Use an ISO 8601 date-time with an offset, e.g. 2027-03-01T19:30:00+01:00.',
  })
  .transform((value) => new Date(value))
  .refine(
    (date) => date.getTime() >= FIRESTORE_TIME_RANGE.min && date.getTime() <= FIRESTORE_TIME_RANGE.max,
    'Must be between the years 1 and 9999.',
  );

/** Money in minor units; free tickets are not sold through this API (see docs/decisions.md). */
const price = z.number().int('Use whole minor units (cents).').min(1).max(EVENT_LIMITS.price);

const ticketCount = z.number().int().min(1).max(EVENT_LIMITS.totalTickets);

const eventId = z.string().regex(EVENT_ID_PATTERN, 'Not an event id.');

/** Every editable event field, none optional and without defaults. */
const eventFields = {
  name: text(EVENT_LIMITS.nameLength),
  /** Blank or null means "no description". */
  description: z
    .string()
    .trim()
    .max(EVENT_LIMITS.descriptionLength)
    .nullable()
    .transform((value) => (value === '' ? null : value)),
  startsAt: instant,
  venue: text(EVENT_LIMITS.venueLength),
  location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
  totalTickets: ticketCount,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { message: 'Use an ISO 4217 code in upper case, e.g. "EUR".', abort: true })
    .refine((code) => KNOWN_CURRENCIES.has(code), 'Not a known ISO 4217 currency.'),
  basePrice: price,
  surgePrice: price,
  surgeThreshold: ticketCount,
  holdMinutes: z.number().int().min(EVENT_LIMITS.holdMinutes.min).max(EVENT_LIMITS.holdMinutes.max),
  maxTicketsPerBooking: z
    .number()
    .int()
    .min(EVENT_LIMITS.maxTicketsPerBooking.min)
    .max(EVENT_LIMITS.maxTicketsPerBooking.max),
};

/** Body of `POST /createEvent`. The company comes from the caller's claims, never from the body. */
export const createEventBodySchema = z.strictObject({
  ...eventFields,
  description: eventFields.description.optional(),
  holdMinutes: eventFields.holdMinutes.default(EVENT_LIMITS.holdMinutes.default),
  maxTicketsPerBooking: eventFields.maxTicketsPerBooking.default(EVENT_LIMITS.maxTicketsPerBooking.default),
});

/** Body of `POST /updateEvent`: the event, the version the client last saw, and the fields to change. */
export const updateEventBodySchema = z
  .strictObject({
    id: eventId,
    version: z.number().int().min(1),
    ...z.strictObject(eventFields).partial().shape,
  })
  .refine(
    (body) => Object.keys(eventFields).some((field) => field in body),
    'Send at least one field to change besides id and version.',
  );

/** Longest cancellation reason kept; it is shown to every affected buyer. */
export const MAX_CANCELLATION_REASON_LENGTH = 500;

/** Body of `POST /cancelEvent`: the event, the version the admin last saw, and why it is cancelled. */
export const cancelEventBodySchema = z.strictObject({
  id: eventId,
  version: z.number().int().min(1),
  reason: z.string().trim().min(1, 'Say why the event is cancelled.').max(MAX_CANCELLATION_REASON_LENGTH),
});

/** Query of `GET /getEvent`. */
export const getEventQuerySchema = z.strictObject({ id: eventId });

/** A decimal number in a query string. */
const decimal = z
  .string()
  .regex(/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/, 'Use a decimal number, e.g. 48.1374.')
  .transform(Number);

const NEAR_FIELDS = ['lat', 'lng', 'radiusKm'] as const;

/** Query of `GET /searchEvents`; every value arrives as a string. */
export const searchEventsQuerySchema = z
  .strictObject({
    q: z.string().max(SEARCH_LIMITS.queryLength).optional(),
    from: instant.optional(),
    to: instant.optional(),
    lat: decimal.pipe(z.number().min(-90).max(90)).optional(),
    lng: decimal.pipe(z.number().min(-180).max(180)).optional(),
    radiusKm: decimal.pipe(z.number().gt(0).max(SEARCH_LIMITS.radiusKm)).optional(),
    onlyAvailable: z
      .enum(['true', 'false'], 'Use true or false.')
      .transform((value) => value === 'true')
      .optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/, 'Use a whole number.')
      .transform(Number)
      .pipe(z.number().min(SEARCH_LIMITS.limit.min).max(SEARCH_LIMITS.limit.max))
      .optional(),
    cursor: z
      .string()
      .max(SEARCH_LIMITS.cursorLength)
      .transform((value, context) => {
        const cursor = decodeCursor(value);
        if (cursor === undefined) {
          context.issues.push({
            code: 'custom',
            message: 'Not a cursor issued by searchEvents.',
            input: value,
          });
          return z.NEVER;
        }
        return cursor;
      })
      .optional(),
  })
  .superRefine((query, context) => {
    const given = NEAR_FIELDS.filter((field) => query[field] !== undefined);
    if (given.length > 0 && given.length < NEAR_FIELDS.length) {
      for (const field of NEAR_FIELDS.filter((name) => query[name] === undefined)) {
        context.addIssue({ code: 'custom', path: [field], message: 'lat, lng and radiusKm go together.' });
      }
    }
    if (query.from !== undefined && query.to !== undefined && query.to <= query.from) {
      context.addIssue({ code: 'custom', path: ['to'], message: 'Must be after from.' });
    }
  })
  .transform((query): SearchRequest => ({
    filters: {
      text: query.q === undefined ? undefined : parseTextQuery(query.q),
      from: query.from,
      to: query.to,
      near:
        query.lat === undefined || query.lng === undefined || query.radiusKm === undefined
          ? undefined
          : { center: { lat: query.lat, lng: query.lng }, radiusKm: query.radiusKm },
      onlyAvailable: query.onlyAvailable ?? false,
    },
    limit: query.limit ?? SEARCH_LIMITS.limit.default,
    cursor: query.cursor,
  }));

export type CreateEventBody = z.infer<typeof createEventBodySchema>;
export type UpdateEventBody = z.infer<typeof updateEventBodySchema>;
export type CancelEventBody = z.infer<typeof cancelEventBodySchema>;
export type GetEventQuery = z.infer<typeof getEventQuerySchema>;
