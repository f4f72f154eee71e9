import { createHash } from 'node:crypto';
import * as z from 'zod';
import { EVENT_ID_PATTERN } from '../event';
import { FIRESTORE_TIME_RANGE, type SearchPosition } from './position';
import type { SearchFilters } from './search-filters';

/**
 * The opaque `nextCursor` of `searchEvents`: the position after which the next page starts and a digest of
 * the filters it was issued for, so that it cannot be replayed with other filters. It is not signed: a
 * forged position only starts a page elsewhere in the caller's own result set, which `from` allows anyway.
 */
export interface SearchCursor {
  readonly after: SearchPosition;
  readonly filtersDigest: string;
}

const CURSOR_VERSION = 1;

const cursorJson = z.strictObject({
  v: z.literal(CURSOR_VERSION),
  t: z.number().int().min(FIRESTORE_TIME_RANGE.min).max(FIRESTORE_TIME_RANGE.max),
  i: z.string().regex(EVENT_ID_PATTERN),
  f: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
});

/**
 * A short digest of the filters in canonical form: the same filters written differently (another time
 * zone offset, other spacing or case in `q`) give the same digest. The page size is deliberately left out:
 * a client may change it between pages.
 */
export function filtersDigest(filters: SearchFilters): string {
  const canonical = JSON.stringify([
    filters.text === undefined ? null : [[...filters.text.exactWords].sort(), filters.text.prefix],
    filters.from?.getTime() ?? null,
    filters.to?.getTime() ?? null,
    filters.near === undefined
      ? null
      : [filters.near.center.lat, filters.near.center.lng, filters.near.radiusKm],
    filters.onlyAvailable,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

/** The cursor as the client sees it: base64url of a small JSON document. */
export function encodeCursor(cursor: SearchCursor): string {
  const json = {
    v: CURSOR_VERSION,
    t: cursor.after.startsAtMillis,
    i: cursor.after.id,
    f: cursor.filtersDigest,
  };
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

/** Decodes a client's cursor; undefined when it is not one this service issued in this format. */
export function decodeCursor(text: string): SearchCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: the caller reports a malformed cursor, so there is nothing to keep from this error.
    return undefined;
  }
  const parsed = cursorJson.safeParse(json);
  if (!parsed.success) return undefined;
  return { after: { startsAtMillis: parsed.data.t, id: parsed.data.i }, filtersDigest: parsed.data.f };
}
