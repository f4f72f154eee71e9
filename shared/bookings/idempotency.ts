import { createHash } from 'node:crypto';
import type { BookingResponse } from './booking';

/** How long a key is remembered, as Stripe does; a Firestore TTL policy on `expiresAt` deletes the record later. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A stored response, replayed byte for byte. */
export interface StoredResponse {
  readonly status: number;
  /** The JSON body exactly as first sent. */
  readonly body: string;
}

/** What a remembered Idempotency-Key means for a request: its first answer again, or a key used for another. */
export type KeyReplay =
  | { readonly kind: 'replayed'; readonly response: StoredResponse }
  | { readonly kind: 'idempotency-key-reused' };

/**
 * The first answer to a `book` request that made `booking`, as a record stores it: 201 with the booking
 * envelope. Records keep the answer as sent (not the booking) so that every replay, by any version of the
 * function, answers the same bytes.
 */
export function rememberedAnswer(booking: BookingResponse): StoredResponse {
  return { status: 201, body: JSON.stringify({ booking }) };
}

/** What is remembered about one key. */
export interface IdempotencyRecord {
  readonly userId: string;
  /** SHA-256 of the function name and the request body. */
  readonly requestHash: string;
  readonly response: StoredResponse;
  readonly expiresAt: Date;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so that the same body hashes the same whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Document id of a key: scoped to the user (two users may pick the same key) and hashed (keys are free text). */
export function idempotencyRecordId(userId: string, key: string): string {
  return sha256(`${userId}:${key}`);
}

/** Fingerprint of a request: which function, with which (validated) body. */
export function requestHash(functionName: string, body: unknown): string {
  return sha256(canonicalJson({ function: functionName, body }));
}

/**
 * What a remembered key means for a new request: nothing (no record, or one past its lifetime, which TTL
 * deletion may not have removed yet), the response to replay, or a refusal when the key was used for
 * another request.
 */
export function replayFor(
  record: IdempotencyRecord | undefined,
  hash: string,
  now: Date,
): KeyReplay | undefined {
  if (record === undefined || record.expiresAt.getTime() <= now.getTime()) return undefined;
  if (record.requestHash !== hash) return { kind: 'idempotency-key-reused' };
  return { kind: 'replayed', response: record.response };
}
