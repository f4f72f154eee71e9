/**
 * A place in the search order: events are listed by `startsAt`, ties broken by id. Every event has exactly
 * one position and no two share one, which is what lets paging visit each match exactly once.
 */
export interface SearchPosition {
  /** `startsAt` in epoch milliseconds; events store whole milliseconds, so nothing finer is lost. */
  readonly startsAtMillis: number;
  readonly id: string;
}

/**
 * Orders positions as Firestore orders `orderBy('startsAt').orderBy(documentId())`. Comparing ids with `<`
 * matches Firestore's byte order because event ids are ASCII letters and digits.
 */
export function comparePositions(a: SearchPosition, b: SearchPosition): number {
  if (a.startsAtMillis !== b.startsAtMillis) return a.startsAtMillis - b.startsAtMillis;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** The instants a Firestore timestamp can hold: years 1 to 9999 (UTC), in epoch milliseconds. */
export const FIRESTORE_TIME_RANGE = { min: -62_135_596_800_000, max: 253_402_300_799_999 } as const;
