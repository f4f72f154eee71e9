import * as z from 'zod';
import { bookingSchema } from '../bookings/booking-response-schemas';
import { PAYMENT_STATUSES } from '../payments/payment';
import { companySchema, userSchema } from '../users/user-response-schemas';

// Documented with `.register(z.globalRegistry, …)`, not `.meta(…)`: it annotates a schema without cloning
// it, which halves what these schemas add to cold start. Register only schemas used once: metadata is per instance.

const utcInstant = z.iso.datetime();

/** One payment attempt as the export shows it: what was charged and what became of it. */
export const exportedPaymentSchema = z
  .strictObject({
    id: z.string(),
    bookingId: z.string(),
    attempt: z.int(),
    amount: z.int().register(z.globalRegistry, { description: 'In minor units.' }),
    currency: z.string().regex(/^[A-Z]{3}$/),
    status: z.enum(PAYMENT_STATUSES),
    createdAt: utcInstant,
    updatedAt: utcInstant,
  })
  .register(z.globalRegistry, { id: 'ExportedPayment' });

/**
 * A stored record of another domain (waitlist entry, device, notification) as stored, instants as ISO 8601
 * UTC strings: the export shows whatever those domains keep about the caller.
 */
const storedRecordSchema = z.record(z.string(), z.unknown());

/** Answer of `exportMyData`: everything stored about the caller. */
export const personalDataExportSchema = z
  .strictObject({
    user: userSchema,
    company: companySchema
      .optional()
      .register(z.globalRegistry, { description: 'Admins and staff only: their company.' }),
    bookings: z
      .array(bookingSchema)
      .register(z.globalRegistry, { description: 'All of them, newest first.' }),
    payments: z.array(exportedPaymentSchema),
    waitlist: z
      .array(storedRecordSchema)
      .register(z.globalRegistry, { description: 'The caller’s waitlist entries, as stored.' }),
    devices: z
      .array(storedRecordSchema)
      .register(z.globalRegistry, { description: 'The devices registered for pushes, as stored.' }),
    notifications: z
      .array(storedRecordSchema)
      .register(z.globalRegistry, { description: 'The caller’s notification inbox, as stored.' }),
    exportedAt: utcInstant,
  })
  .register(z.globalRegistry, { id: 'PersonalDataExport' });

/** The export of `exportMyData`. */
export type PersonalDataExport = z.infer<typeof personalDataExportSchema>;

/** Answer of `deleteAccount`. */
export const accountDeletedSchema = z.strictObject({ deleted: z.literal(true) });
