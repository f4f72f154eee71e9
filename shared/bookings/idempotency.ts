import { createHash } from 'node:crypto';
import { ConflictError } from '../errors/domain-errors';

/** How long a key is remembered, as Stripe does; a Firestore TTL policy on `expiresAt` deletes the record later. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A stored response, replayed byte for byte. */
export interface StoredResponse {
  readonly status: number;
  /** The JSON body exactly as first sent. */
  readonly body: string;
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
 * deletion may not have removed yet), the response to replay, or a conflict when the key was used for
 * another request.
 *
 * @throws ConflictError `idempotency-key-reused`
 */
export function replayFor(
  record: IdempotencyRecord | undefined,
  hash: string,
  now: Date,
): StoredResponse | undefined {
  if (record === undefined || record.expiresAt.getTime() <= now.getTime()) return undefined;
  if (record.requestHash !== hash) {
    throw new ConflictError(
      'idempotency-key-reused',
      'This Idempotency-Key was already used with a different request; use a new key for a new request.',
    );
  }
  return record.response;
}
