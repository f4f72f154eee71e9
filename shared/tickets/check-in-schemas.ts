import * as z from 'zod';
import { EVENT_ID_PATTERN } from '../events/event';
import { instant } from '../events/event-schemas';

/** Bounds of the check-in functions' input (contract: "Tickets and check-in"). */
export const CHECK_IN_LIMITS = {
  /** A QR string is about 190 characters; a code 22. */
  codeLength: 512,
  manifestPage: { min: 1, max: 1000, default: 500 },
  scansPerSync: { min: 1, max: 200 },
  deviceIdLength: 128,
} as const;

const eventId = z.string().regex(EVENT_ID_PATTERN, 'Not an event id.');

const code = z
  .string()
  .min(1)
  .max(CHECK_IN_LIMITS.codeLength)
  .register(z.globalRegistry, { description: "A ticket's `code`, or its signed `qr` string." });

/** Body of `POST /checkIn`. */
export const checkInBodySchema = z.strictObject({ eventId, code });

/** Query of `GET /checkInManifest`; values arrive as strings. */
export const checkInManifestQuerySchema = z.strictObject({
  eventId,
  since: instant.optional(),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, 'Not a cursor from a previous page.')
    .optional(),
  limit: z.coerce
    .number()
    .int()
    .min(CHECK_IN_LIMITS.manifestPage.min)
    .max(CHECK_IN_LIMITS.manifestPage.max)
    .default(CHECK_IN_LIMITS.manifestPage.default),
});

/** Body of `POST /syncCheckIns`: scans a door device made offline, in the order it made them. */
export const syncCheckInsBodySchema = z.strictObject({
  eventId,
  deviceId: z.string().trim().min(1).max(CHECK_IN_LIMITS.deviceIdLength),
  scans: z
    .array(z.strictObject({ code, scannedAt: instant }))
    .min(CHECK_IN_LIMITS.scansPerSync.min)
    .max(CHECK_IN_LIMITS.scansPerSync.max),
});

export type CheckInBody = z.infer<typeof checkInBodySchema>;
export type CheckInManifestQuery = z.infer<typeof checkInManifestQuerySchema>;
export type SyncCheckInsBody = z.infer<typeof syncCheckInsBodySchema>;
