import * as z from 'zod';
import { TICKET_STATUSES } from '../tickets/ticket';
import { BOOKING_STATUSES } from './booking';

// Documented with `.register(z.globalRegistry, …)`, not `.meta(…)`: it annotates a schema without cloning
// it, which halves what these schemas add to cold start. Register only schemas used once: metadata is per instance.

const utcInstant = z.iso.datetime();

/** A ticket issued for a confirmed booking. */
export const issuedTicketSchema = z
  .strictObject({
    id: z.string(),
    code: z
      .string()
      .register(z.globalRegistry, { description: 'Unique and unguessable: what the entrance scans.' }),
    qr: z
      .string()
      .optional()
      .register(z.globalRegistry, {
        description:
          'Signed `EMT1.<payload>.<signature>` string a door device verifies offline against `GET /ticketKeys` ' +
          '(docs/check-in.md). Absent only on a ticket issued before tickets were signed, until the ' +
          'operator runs the backfill.',
      }),
    status: z.enum(TICKET_STATUSES).register(z.globalRegistry, {
      description:
        '`valid` → `checked_in`; `void` once the booking leaves `confirmed` or its event is cancelled.',
    }),
    checkedInAt: utcInstant
      .optional()
      .register(z.globalRegistry, { description: 'The earliest scan that admitted the ticket.' }),
  })
  .register(z.globalRegistry, { id: 'Ticket' });

/** The `booking` object of the HTTP contract; `BookingResponse` is derived from it. */
export const bookingSchema = z
  .strictObject({
    id: z.string(),
    eventId: z.string(),
    userId: z.string(),
    quantity: z.int(),
    status: z.enum(BOOKING_STATUSES).register(z.globalRegistry, {
      description:
        '`held` → `confirmed` | `expired` | `cancelled`; `confirmed` → `refund_pending` → `refunded`.',
    }),
    unitPrices: z.array(z.int()).register(z.globalRegistry, {
      description: 'Price of each ticket in minor units, fixed when the hold was created.',
    }),
    total: z.int().register(z.globalRegistry, { description: 'What is charged, in minor units.' }),
    currency: z.string().regex(/^[A-Z]{3}$/),
    expiresAt: z.iso
      .datetime()
      .register(z.globalRegistry, { description: 'End of the hold: unpaid by then, the booking expires.' }),
    createdAt: utcInstant,
    tickets: z
      .array(issuedTicketSchema)
      .optional()
      .register(z.globalRegistry, { description: 'Once a confirmed booking’s tickets are issued.' }),
    refundedAmount: z
      .int()
      .optional()
      .register(z.globalRegistry, {
        description:
          'What has been refunded so far, in minor units, once anything was. Less than `total`: a partial ' +
          'refund, the booking stays `confirmed` and its tickets valid; equal: the booking is `refunded`.',
      }),
  })
  .register(z.globalRegistry, { id: 'Booking' });

/** Answer of `book`, `getBooking` and `cancelBooking`. */
export const bookingEnvelopeSchema = z.strictObject({ booking: bookingSchema });

/** Answer of `myBookings`. */
export const bookingPageSchema = z.strictObject({
  bookings: z.array(bookingSchema),
  nextCursor: z.string().nullable().register(z.globalRegistry, {
    description: 'Pass it as `cursor` for the next page; null on the last page.',
  }),
});
