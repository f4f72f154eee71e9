import * as z from 'zod';
import { EVENT_STATUSES } from './event';

// Documented with `.register(z.globalRegistry, …)`, not `.meta(…)`: it annotates a schema without cloning
// it, which halves what these schemas add to cold start. Register only schemas used once: metadata is per instance.

/** An instant as this API writes it: ISO 8601 in UTC with `Z`. */
const utcInstant = z.iso.datetime();

/** The `event` object of the HTTP contract; `EventResponse` is derived from it. */
export const eventSchema = z
  .strictObject({
    id: z.string(),
    companyId: z.string(),
    name: z.string(),
    description: z
      .string()
      .nullable()
      .register(z.globalRegistry, { description: 'Null when the event has none.' }),
    startsAt: utcInstant,
    venue: z.string(),
    location: z.strictObject({ lat: z.number(), lng: z.number() }),
    totalTickets: z.int(),
    availableTickets: z.int().register(z.globalRegistry, { description: 'Tickets neither held nor sold.' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .register(z.globalRegistry, { description: 'ISO 4217 code in upper case.' }),
    basePrice: z.int().register(z.globalRegistry, {
      description: 'Price of each of the first `surgeThreshold` tickets, in minor units.',
    }),
    surgePrice: z
      .int()
      .register(z.globalRegistry, { description: 'Price of every later ticket, in minor units.' }),
    surgeThreshold: z.int(),
    currentPrice: z
      .int()
      .register(z.globalRegistry, { description: 'Price of the next ticket, in minor units.' }),
    holdMinutes: z.int(),
    maxTicketsPerBooking: z.int(),
    version: z.int().register(z.globalRegistry, {
      description: 'Send it back with `updateEvent` (optimistic concurrency).',
    }),
    createdAt: utcInstant,
    updatedAt: utcInstant,
    status: z.enum(EVENT_STATUSES).register(z.globalRegistry, {
      description:
        '`cancelled` once `cancelEvent` ran: nothing sells any more (`availableTickets` is 0) and its ' +
        'bookings are being cancelled and refunded.',
    }),
    cancelledAt: utcInstant.optional().register(z.globalRegistry, { description: 'Set once cancelled.' }),
    cancellationReason: z
      .string()
      .optional()
      .register(z.globalRegistry, { description: 'Why the organizer cancelled it; set once cancelled.' }),
  })
  .register(z.globalRegistry, {
    id: 'Event',
    description: 'An event with its current availability and price.',
  });

/** Answer of `createEvent`, `updateEvent` and `getEvent`. */
export const eventEnvelopeSchema = z.strictObject({ event: eventSchema });

/** Answer of `searchEvents`. */
export const eventPageSchema = z.strictObject({
  events: z.array(eventSchema),
  nextCursor: z.string().nullable().register(z.globalRegistry, {
    description: 'Pass it as `cursor` for the next page; null on the last page.',
  }),
});
