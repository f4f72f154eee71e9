import { FieldPath, type Firestore } from 'firebase-admin/firestore';
import { BOOKINGS_COLLECTION } from '../bookings/booking-repository';
import type { BookingStatus } from '../bookings/booking';

/** One page of an event's audience: user ids (repeats allowed) and where the next page starts. */
export interface AudiencePage {
  readonly userIds: readonly string[];
  /** Undefined on the last page. */
  readonly next: string | undefined;
}

/**
 * A source of the users who hear about changes to an event, read page by page so that an event of 50,000
 * bookings never needs one big read. A source names itself; the fan-out job keeps one cursor per name.
 */
export interface EventAudienceSource {
  readonly name: string;
  page(eventId: string, after: string | undefined, limit: number): Promise<AudiencePage>;
}

/** Booking statuses whose owners hear about an event's changes, as the contract lists them. */
const AUDIENCE_STATUSES: ReadonlySet<BookingStatus> = new Set(['held', 'confirmed', 'refund_pending']);

/**
 * Owners of the event's `held`, `confirmed` and `refund_pending` bookings, in booking id order. The status is
 * filtered here rather than in the query, so that the query needs only the automatic index on `eventId`.
 */
export class BookingAudience implements EventAudienceSource {
  readonly name = 'bookings';

  constructor(private readonly db: Firestore) {}

  async page(eventId: string, after: string | undefined, limit: number): Promise<AudiencePage> {
    let query = this.db
      .collection(BOOKINGS_COLLECTION)
      .where('eventId', '==', eventId)
      .orderBy(FieldPath.documentId())
      .select('userId', 'status');
    if (after !== undefined) query = query.startAfter(after);
    const snapshot = await query.limit(limit).get();
    const userIds = snapshot.docs
      .filter((doc) => AUDIENCE_STATUSES.has(doc.get('status') as BookingStatus))
      .map((doc) => doc.get('userId') as string);
    return { userIds, next: snapshot.size < limit ? undefined : snapshot.docs.at(-1)?.id };
  }
}
