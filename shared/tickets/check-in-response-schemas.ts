import * as z from 'zod';
import { TICKET_STATUSES } from './ticket';

// Documented with `.register(z.globalRegistry, …)`, not `.meta(…)`: it annotates a schema without cloning
// it, which halves what these schemas add to cold start. Register only schemas used once: metadata is per instance.

const utcInstant = z.iso.datetime();

/** Answer of `POST /checkIn`. */
export const checkInResponseSchema = z
  .strictObject({
    ticket: z.strictObject({
      id: z.string(),
      bookingId: z.string(),
      eventId: z.string(),
      status: z.literal('checked_in'),
      checkedInAt: utcInstant,
    }),
    holder: z.strictObject({
      name: z.string().nullable().register(z.globalRegistry, {
        description: "The booking owner's name; null once the owner has deleted their account.",
      }),
    }),
  })
  .register(z.globalRegistry, { id: 'CheckIn' });

/** Answer of `GET /checkInManifest`. */
export const checkInManifestSchema = z
  .strictObject({
    tickets: z.array(
      z.strictObject({
        id: z.string(),
        codeHash: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .register(z.globalRegistry, { description: "Lowercase hex SHA-256 of the ticket's `code`." }),
        status: z.enum(TICKET_STATUSES),
        checkedInAt: utcInstant.optional(),
      }),
    ),
    nextCursor: z.string().nullable().register(z.globalRegistry, {
      description: 'Pass it as `cursor` (with the same `since`) for the next page; null on the last page.',
    }),
    generatedAt: utcInstant.register(z.globalRegistry, {
      description:
        'Taken before the tickets were read: pass the first page’s value as `since` next time to get ' +
        'every ticket changed since (some may come twice, none is missed).',
    }),
  })
  .register(z.globalRegistry, { id: 'CheckInManifest' });

/** What became of one offline scan. */
export const SCAN_OUTCOMES = ['checked_in', 'already_checked_in', 'void', 'unknown'] as const;

/** Answer of `POST /syncCheckIns`. */
export const syncCheckInsResponseSchema = z
  .strictObject({
    results: z
      .array(
        z.strictObject({
          code: z.string(),
          outcome: z.enum(SCAN_OUTCOMES).register(z.globalRegistry, {
            description:
              '`checked_in`: this scan is the earliest recorded for the ticket; `already_checked_in`: an ' +
              'earlier scan admitted it; `void`: cancelled or refunded; `unknown`: no ticket of this event.',
          }),
          ticketId: z.string().optional(),
          checkedInAt: utcInstant
            .optional()
            .register(z.globalRegistry, { description: "The ticket's earliest recorded scan." }),
        }),
      )
      .register(z.globalRegistry, { description: 'One per scan, in the order of `scans`.' }),
  })
  .register(z.globalRegistry, { id: 'SyncCheckIns' });

/** Answer of `GET /ticketKeys`. */
export const ticketKeysSchema = z
  .strictObject({
    keys: z.array(
      z.strictObject({
        kid: z.string(),
        kty: z.literal('OKP'),
        crv: z.literal('Ed25519'),
        x: z.string().register(z.globalRegistry, { description: 'The public key, base64url (RFC 8037).' }),
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'TicketKeys' });

export type CheckInResponse = z.infer<typeof checkInResponseSchema>;
export type CheckInManifest = z.infer<typeof checkInManifestSchema>;
export type SyncCheckInsResponse = z.infer<typeof syncCheckInsResponseSchema>;
export type ScanOutcome = (typeof SCAN_OUTCOMES)[number];
