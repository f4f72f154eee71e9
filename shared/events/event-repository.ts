import {
  FieldPath,
  Timestamp,
  type DocumentData,
  type Firestore,
  type Query,
  type Transaction,
} from 'firebase-admin/firestore';
import * as z from 'zod';
import { storedTimestamp } from '../firebase/stored-timestamp';
import { EntityCollection } from '../firebase/entity-collection';
import { entityConverter } from '../firebase/entity-converter';
import { EVENT_STATUSES, type StoredEvent } from './event';
import { geoCellField, geoCellsOf, type GeoPrecision } from './search/geo';
import type { SearchPosition } from './search/position';
import { searchableTextsOf, searchTermsOf } from './search/tokens';

/** Events live in `events/{eventId}`; the inventory keeps its shards in subcollections of each. */
export const EVENTS_COLLECTION = 'events';

/**
 * The stored shape and the id, checked on every read so that a malformed document fails loudly instead of
 * leaking. The derived search fields are not part of the event: parsing drops them.
 */
const eventDocument = z.object({
  id: z.string(),
  companyId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  startsAt: storedTimestamp,
  venue: z.string(),
  location: z.object({ lat: z.number(), lng: z.number() }),
  totalTickets: z.number().int(),
  currency: z.string(),
  basePrice: z.number().int(),
  surgePrice: z.number().int(),
  surgeThreshold: z.number().int(),
  holdMinutes: z.number().int(),
  maxTicketsPerBooking: z.number().int(),
  version: z.number().int(),
  createdAt: storedTimestamp,
  updatedAt: storedTimestamp,
  status: z.enum(EVENT_STATUSES).default('scheduled'),
  cancelledAt: storedTimestamp.optional(),
  cancellationReason: z.string().optional(),
  updateRequestId: z.string().optional(),
});

/**
 * The document of an event: its fields plus the derived search fields (`searchTerms`, `geohash1` …
 * `geohash6`), which are recomputed on every write so that they can never disagree with the event.
 */
function toDocument(event: StoredEvent): DocumentData {
  const { id: _id, startsAt, createdAt, updatedAt, location, cancelledAt, ...fields } = event;
  return {
    ...fields,
    ...(cancelledAt === undefined ? {} : { cancelledAt: Timestamp.fromDate(cancelledAt) }),
    location: { lat: location.lat, lng: location.lng },
    startsAt: Timestamp.fromDate(startsAt),
    createdAt: Timestamp.fromDate(createdAt),
    updatedAt: Timestamp.fromDate(updatedAt),
    searchTerms: searchTermsOf(searchableTextsOf(event)),
    ...geoCellsOf(location),
  };
}

const eventConverter = entityConverter<StoredEvent>(eventDocument, toDocument);

/** One page of one search query; see docs/search.md for the indexes these queries use. */
export interface EventPageQuery {
  /** A stored search term the events must contain. */
  readonly term?: string;
  /** A geohash cell the events must lie in. */
  readonly cell?: { readonly precision: GeoPrecision; readonly geohash: string };
  /** Inclusive lower bound on `startsAt`. */
  readonly from: Date;
  /** Exclusive upper bound on `startsAt`. */
  readonly to?: Date;
  /** Only events positioned after this one. */
  readonly after?: SearchPosition;
  readonly limit: number;
}

/** Reads and writes `events/{eventId}` documents. */
export class EventRepository extends EntityCollection<StoredEvent> {
  constructor(private readonly db: Firestore) {
    super(db.collection(EVENTS_COLLECTION).withConverter(eventConverter));
  }

  /**
   * Replaces the event's own fields in `tx`. `update` leaves fields written by others (the inventory's
   * bookkeeping, should it add any) alone and fails if the document is gone.
   */
  update(tx: Transaction, event: StoredEvent): void {
    tx.update(this.db.collection(EVENTS_COLLECTION).doc(event.id), toDocument(event));
  }

  /** Ids of up to `limit` events starting after `now`, soonest first. */
  async idsStartingAfter(now: Date, limit: number): Promise<string[]> {
    const snapshot = await this.db
      .collection(EVENTS_COLLECTION)
      .where('startsAt', '>', Timestamp.fromDate(now))
      .orderBy('startsAt')
      .limit(limit)
      .select()
      .get();
    return snapshot.docs.map((document) => document.id);
  }

  /** One page of events in `startsAt` order (ties by id) matching `query`. */
  async findPage(query: EventPageQuery): Promise<StoredEvent[]> {
    let events: Query<StoredEvent> = this.collection;
    if (query.term !== undefined) events = events.where('searchTerms', 'array-contains', query.term);
    if (query.cell !== undefined)
      events = events.where(geoCellField(query.cell.precision), '==', query.cell.geohash);
    events = events.where('startsAt', '>=', Timestamp.fromDate(query.from));
    if (query.to !== undefined) events = events.where('startsAt', '<', Timestamp.fromDate(query.to));
    events = events.orderBy('startsAt').orderBy(FieldPath.documentId());
    if (query.after !== undefined) {
      events = events.startAfter(Timestamp.fromMillis(query.after.startsAtMillis), query.after.id);
    }
    const snapshot = await events.limit(query.limit).get();
    return snapshot.docs.map((document) => document.data());
  }
}
