import { ValidationError } from '../errors/domain-errors';
import { BOOKING_ID_PATTERN } from './booking';

/** Where a page ordered newest first stopped: the last item's creation time and id. */
export interface BookingCursor {
  readonly createdAtMs: number;
  readonly id: string;
}

/** Encodes a position as an opaque, URL-safe string; clients must not build or parse it. */
export function encodeBookingCursor(cursor: BookingCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAtMs, cursor.id]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor from a previous page whose items have ids matching `idPattern` (booking ids by
 * default; the notification inbox pages the same way).
 *
 * @throws ValidationError when the string is not a cursor this API issued
 */
export function decodeBookingCursor(encoded: string, idPattern: RegExp = BOOKING_ID_PATTERN): BookingCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    Array.isArray(decoded) &&
    decoded.length === 2 &&
    Number.isSafeInteger(decoded[0]) &&
    typeof decoded[1] === 'string' &&
    idPattern.test(decoded[1])
  ) {
    return { createdAtMs: decoded[0] as number, id: decoded[1] };
  }
  throw new ValidationError('The request query is invalid.', [
    { path: 'cursor', message: 'Not a cursor from a previous page.' },
  ]);
}
