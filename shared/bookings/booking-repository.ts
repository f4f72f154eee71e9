import {
  AggregateField,
  FieldPath,
  Timestamp,
  type Firestore,
  type Query,
  type Transaction,
} from 'firebase-admin/firestore';
import * as z from 'zod';
import { storedTimestamp } from '../firebase/stored-timestamp';
import { EntityCollection } from '../firebase/entity-collection';
import { entityConverter } from '../firebase/entity-converter';
import { BOOKING_STATUSES, type Booking, type BookingStatus } from './booking';
import type { BookingCursor } from './booking-cursor';

/** Bookings live in `bookings/{bookingId}` with random ids. */
export const BOOKINGS_COLLECTION = 'bookings';

/** The stored shape and the id, checked on every read so that a malformed document fails loudly. */
const bookingDocument = z.object({
  id: z.string(),
  eventId: z.string(),
  userId: z.string(),
  companyId: z.string(),
  quantity: z.number().int(),
  status: z.enum(BOOKING_STATUSES),
  unitPrices: z.array(z.number().int()),
  total: z.number().int(),
  currency: z.string(),
  allocation: z.array(
    z.object({ shardId: z.string(), pool: z.enum(['base', 'surge']), quantity: z.number().int() }),
  ),
  expiresAt: storedTimestamp,
  createdAt: storedTimestamp,
  updatedAt: storedTimestamp,
  tickets: z.array(z.object({ id: z.string(), code: z.string(), qr: z.string().optional() })).optional(),
  refundedAmount: z.number().int().optional(),
  cancelRequestId: z.string().optional(),
  waitlistEntryId: z.string().optional(),
});

/** The fields of a booking that say which tickets it has on the shards. */
const ticketFields = bookingDocument.pick({ status: true, allocation: true });

const bookingConverter = entityConverter<Booking>(bookingDocument, (booking) => {
  const { id: _id, expiresAt, createdAt, updatedAt, allocation, unitPrices, tickets, ...fields } = booking;
  return {
    ...fields,
    unitPrices: [...unitPrices],
    allocation: allocation.map(({ shardId, pool, quantity }) => ({ shardId, pool, quantity })),
    expiresAt: Timestamp.fromDate(expiresAt),
    createdAt: Timestamp.fromDate(createdAt),
    updatedAt: Timestamp.fromDate(updatedAt),
    ...(tickets === undefined
      ? {}
      : { tickets: tickets.map(({ id, code, qr }) => ({ id, code, ...(qr === undefined ? {} : { qr }) })) }),
  };
});

/** Reads and writes `bookings/{bookingId}`; see docs/inventory.md for the indexes its queries use. */
export class BookingRepository extends EntityCollection<Booking> {
  constructor(private readonly db: Firestore) {
    super(db.collection(BOOKINGS_COLLECTION).withConverter(bookingConverter));
  }

  /** Moves the booking to `status` in `tx`. */
  changeStatus(
    tx: Transaction,
    id: string,
    status: BookingStatus,
    now: Date,
    recorded: Pick<Booking, 'cancelRequestId'> = {},
  ): void {
    tx.update(this.db.collection(BOOKINGS_COLLECTION).doc(id), {
      status,
      ...recorded,
      updatedAt: Timestamp.fromDate(now),
    });
  }

  /** Every booking of a user, newest first: for the export and the erasure of an account. */
  async allOfUser(userId: string): Promise<Booking[]> {
    const snapshot = await this.collection
      .where('userId', '==', userId)
      .orderBy('createdAt', 'desc')
      .orderBy(FieldPath.documentId(), 'desc')
      .get();
    return snapshot.docs.map((document) => document.data());
  }

  /** The ids and events of a user's confirmed bookings, read in `tx`. */
  async confirmedOfUserIn(tx: Transaction, userId: string): Promise<{ id: string; eventId: string }[]> {
    const snapshot = await tx.get(
      this.db
        .collection(BOOKINGS_COLLECTION)
        .where('userId', '==', userId)
        .where('status', '==', 'confirmed')
        .select('eventId'),
    );
    return snapshot.docs.map((document) => ({ id: document.id, eventId: String(document.get('eventId')) }));
  }

  /** Replaces the booking's owner by `pseudonym` in `tx`: the record stays for accounting, nobody's. */
  pseudonymise(tx: Transaction, id: string, pseudonym: string, now: Date): void {
    tx.update(this.db.collection(BOOKINGS_COLLECTION).doc(id), {
      userId: pseudonym,
      updatedAt: Timestamp.fromDate(now),
    });
  }

  /** One page of a user's bookings, newest first (ties by id); one extra is read to tell if more follow. */
  async pageOfUser(
    userId: string,
    limit: number,
    after: BookingCursor | undefined,
  ): Promise<{ bookings: Booking[]; hasMore: boolean }> {
    let query: Query<Booking> = this.collection
      .where('userId', '==', userId)
      .orderBy('createdAt', 'desc')
      .orderBy(FieldPath.documentId(), 'desc');
    if (after !== undefined) query = query.startAfter(Timestamp.fromMillis(after.createdAtMs), after.id);
    const snapshot = await query.limit(limit + 1).get();
    const bookings = snapshot.docs.map((document) => document.data());
    return { bookings: bookings.slice(0, limit), hasMore: bookings.length > limit };
  }

  /**
   * Status and allocation of every booking of an event, read in `tx` (a read-only transaction reads them
   * all at one snapshot, together with whatever else it reads).
   */
  async ticketsOfEventIn(
    tx: Transaction,
    eventId: string,
  ): Promise<Pick<Booking, 'status' | 'allocation'>[]> {
    const snapshot = await tx.get(
      this.db.collection(BOOKINGS_COLLECTION).where('eventId', '==', eventId).select('status', 'allocation'),
    );
    return snapshot.docs.map((document) => ticketFields.parse(document.data()));
  }

  /** Tickets of the event's bookings in `status`, summed by one aggregation query. */
  async ticketsInStatus(eventId: string, status: BookingStatus): Promise<number> {
    const snapshot = await this.db
      .collection(BOOKINGS_COLLECTION)
      .where('eventId', '==', eventId)
      .where('status', '==', status)
      .aggregate({ tickets: AggregateField.sum('quantity') })
      .get();
    return snapshot.data().tickets;
  }

  /** Ids of up to `limit` bookings of the event in one of `statuses`, in no particular order. */
  async idsOfEventIn(eventId: string, statuses: readonly BookingStatus[], limit: number): Promise<string[]> {
    const snapshot = await this.db
      .collection(BOOKINGS_COLLECTION)
      .where('eventId', '==', eventId)
      .where('status', 'in', statuses)
      .limit(limit)
      .select()
      .get();
    return snapshot.docs.map((document) => document.id);
  }

  /** Ids of holds whose payment window closed by `now`, oldest first; of one event when `eventId` is given. */
  async lapsedHoldIds(now: Date, limit: number, eventId?: string): Promise<string[]> {
    let query: Query = this.db.collection(BOOKINGS_COLLECTION);
    if (eventId !== undefined) query = query.where('eventId', '==', eventId);
    const snapshot = await query
      .where('status', '==', 'held')
      .where('expiresAt', '<=', Timestamp.fromDate(now))
      .orderBy('expiresAt')
      .limit(limit)
      .select()
      .get();
    return snapshot.docs.map((document) => document.id);
  }
}
