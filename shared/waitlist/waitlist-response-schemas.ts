import * as z from 'zod';
import { WAITLIST_STATUSES } from './waitlist-entry';

/** The `entry` object of the HTTP contract. */
export const waitlistEntrySchema = z
  .strictObject({
    id: z.string(),
    eventId: z.string(),
    userId: z.string(),
    quantity: z.int(),
    status: z.enum(WAITLIST_STATUSES).register(z.globalRegistry, {
      description:
        '`waiting` → `offered` → `converted` (paid) | `expired` (offer unpaid) | `cancelled` (offer declined ' +
        'by cancelling its booking, or event cancelled); `waiting` → `left` | `expired` (event started) | ' +
        '`cancelled` (event cancelled).',
    }),
    position: z.int().min(1).optional().register(z.globalRegistry, {
      description: "1-based place among the event's waiting entries; present only while `waiting`.",
    }),
    bookingId: z.string().optional().register(z.globalRegistry, {
      description: 'The offer: a `held` booking for the entry, to pay with `pay`; present once offered.',
    }),
    createdAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, { id: 'WaitlistEntry' });

/** `{ entry }`, the answer of `joinWaitlist` and `leaveWaitlist`. */
export const waitlistEntryEnvelopeSchema = z.strictObject({ entry: waitlistEntrySchema });

/** `{ entries }`, the answer of `myWaitlist`. */
export const waitlistEntriesSchema = z.strictObject({ entries: z.array(waitlistEntrySchema) });
