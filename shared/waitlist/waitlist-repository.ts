import { FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import { EntityCollection } from '../firebase/entity-collection';
import { entityConverter } from '../firebase/entity-converter';
import { storedTimestamp } from '../firebase/stored-timestamp';
import {
  ACTIVE_WAITLIST_STATUSES,
  WAITLIST_STATUSES,
  emptyGate,
  type WaitlistEntry,
  type WaitlistGate,
  type WaitlistStatus,
} from './waitlist-entry';

/** Entries live in `waitlistEntries/{entryId}` with random ids. */
export const WAITLIST_ENTRIES_COLLECTION = 'waitlistEntries';
/** One gate per event, `waitlistGates/{eventId}`. */
export const WAITLIST_GATES_COLLECTION = 'waitlistGates';
/** `waitlistMembers/{eventId}:{userId}` names a user's one active entry of an event. */
export const WAITLIST_MEMBERS_COLLECTION = 'waitlistMembers';

const entryDocument = z.object({
  id: z.string(),
  eventId: z.string(),
  userId: z.string(),
  quantity: z.number().int(),
  status: z.enum(WAITLIST_STATUSES),
  seq: z.number().int(),
  createdAt: storedTimestamp,
  updatedAt: storedTimestamp,
  bookingId: z.string().optional(),
  leaveRequestId: z.string().optional(),
});

const entryConverter = entityConverter<WaitlistEntry>(entryDocument, (entry) => {
  const { id: _id, createdAt, updatedAt, ...fields } = entry;
  return { ...fields, createdAt: Timestamp.fromDate(createdAt), updatedAt: Timestamp.fromDate(updatedAt) };
});

const gateDocument = z.object({
  eventId: z.string(),
  waiting: z.record(z.string(), z.number().int()),
  waitingCount: z.number().int(),
  nextSeq: z.number().int(),
});

const memberDocument = z.object({ entryId: z.string() });

/** Largest page the bulk operations (event cancellation, account deletion) read at once. */
export const WAITLIST_PAGE = 200;

/**
 * Reads and writes waitlist entries, the per-event gates and the active-entry markers. Queries use the
 * composite indexes of firestore.indexes.json (eventId+status+seq, userId+createdAt, userId+status).
 */
export class WaitlistRepository extends EntityCollection<WaitlistEntry> {
  constructor(private readonly db: Firestore) {
    super(db.collection(WAITLIST_ENTRIES_COLLECTION).withConverter(entryConverter));
  }

  private gateRef(eventId: string) {
    return this.db.collection(WAITLIST_GATES_COLLECTION).doc(eventId);
  }

  private memberRef(eventId: string, userId: string) {
    return this.db.collection(WAITLIST_MEMBERS_COLLECTION).doc(`${eventId}:${userId}`);
  }

  /** The event's gate read in `tx`; an empty one when nobody ever joined. */
  async gateIn(tx: Transaction, eventId: string): Promise<WaitlistGate> {
    const snapshot = await tx.get(this.gateRef(eventId));
    return snapshot.exists ? gateDocument.parse(snapshot.data()) : emptyGate(eventId);
  }

  /** The gate read outside any transaction. */
  async findGate(eventId: string): Promise<WaitlistGate> {
    const snapshot = await this.gateRef(eventId).get();
    return snapshot.exists ? gateDocument.parse(snapshot.data()) : emptyGate(eventId);
  }

  /** Writes the event's gate in `tx` (once per transaction, after its changes are summed up). */
  writeGate(tx: Transaction, gate: WaitlistGate): void {
    tx.set(this.gateRef(gate.eventId), { ...gate, updatedAt: FieldValue.serverTimestamp() });
  }

  /** The id of the user's active entry of the event, read in `tx`. */
  async activeEntryIdIn(tx: Transaction, eventId: string, userId: string): Promise<string | undefined> {
    const snapshot = await tx.get(this.memberRef(eventId, userId));
    return snapshot.exists ? memberDocument.parse(snapshot.data()).entryId : undefined;
  }

  /** Marks `entryId` as the user's active entry of the event. */
  setActive(tx: Transaction, eventId: string, userId: string, entryId: string): void {
    tx.set(this.memberRef(eventId, userId), { entryId });
  }

  /** The user has no active entry of the event any more. */
  clearActive(tx: Transaction, eventId: string, userId: string): void {
    tx.delete(this.memberRef(eventId, userId));
  }

  /** Moves the entry to `status` in `tx`, recording `fields` with it (writes only). */
  changeStatus(
    tx: Transaction,
    id: string,
    status: WaitlistStatus,
    now: Date,
    fields: Pick<WaitlistEntry, 'bookingId' | 'leaveRequestId'> = {},
  ): void {
    tx.update(this.db.collection(WAITLIST_ENTRIES_COLLECTION).doc(id), {
      status,
      updatedAt: Timestamp.fromDate(now),
      ...fields,
    });
  }

  /** The event's first waiting entries in join order, read in `tx`. */
  async waitingIn(tx: Transaction, eventId: string, limit: number): Promise<WaitlistEntry[]> {
    const snapshot = await tx.get(
      this.collection
        .where('eventId', '==', eventId)
        .where('status', '==', 'waiting')
        .orderBy('seq')
        .limit(limit),
    );
    return snapshot.docs.map((doc) => doc.data());
  }

  /** The entry's 1-based place among the event's waiting entries. */
  async positionOf(entry: WaitlistEntry): Promise<number> {
    const snapshot = await this.collection
      .where('eventId', '==', entry.eventId)
      .where('status', '==', 'waiting')
      .where('seq', '<=', entry.seq)
      .count()
      .get();
    return snapshot.data().count;
  }

  /** The user's entries created since `since`, newest first. */
  async ofUserSince(userId: string, since: Date): Promise<WaitlistEntry[]> {
    const snapshot = await this.collection
      .where('userId', '==', userId)
      .where('createdAt', '>=', Timestamp.fromDate(since))
      .orderBy('createdAt', 'desc')
      .get();
    return snapshot.docs.map((doc) => doc.data());
  }

  /** Every entry of the user, newest first (account export). */
  async ofUser(userId: string): Promise<WaitlistEntry[]> {
    const snapshot = await this.collection.where('userId', '==', userId).orderBy('createdAt', 'desc').get();
    return snapshot.docs.map((doc) => doc.data());
  }

  /** Active (waiting or offered) entries of the event in join order, a page at a time. */
  async activeOfEvent(eventId: string, limit: number, afterSeq?: number): Promise<WaitlistEntry[]> {
    const query = this.collection
      .where('eventId', '==', eventId)
      .where('status', 'in', [...ACTIVE_WAITLIST_STATUSES])
      .orderBy('seq');
    const snapshot = await (afterSeq === undefined ? query : query.startAfter(afterSeq)).limit(limit).get();
    return snapshot.docs.map((doc) => doc.data());
  }

  /** The event's first waiting entries in join order, read outside any transaction. */
  async waitingOfEvent(eventId: string, limit: number): Promise<WaitlistEntry[]> {
    const snapshot = await this.collection
      .where('eventId', '==', eventId)
      .where('status', '==', 'waiting')
      .orderBy('seq')
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => doc.data());
  }

  /** Active (waiting or offered) entries of the user. */
  async activeOfUser(userId: string): Promise<WaitlistEntry[]> {
    const snapshot = await this.collection
      .where('userId', '==', userId)
      .where('status', 'in', [...ACTIVE_WAITLIST_STATUSES])
      .get();
    return snapshot.docs.map((doc) => doc.data());
  }

  /** Entries read in `tx` by id, missing ones left out. */
  async getAllIn(tx: Transaction, ids: readonly string[]): Promise<WaitlistEntry[]> {
    if (ids.length === 0) return [];
    const snapshots = await tx.getAll(...ids.map((id) => this.collection.doc(id)));
    return snapshots.flatMap((snapshot) => {
      const entry = snapshot.data();
      return entry === undefined ? [] : [entry];
    });
  }

  /** Events with someone waiting, for the minute's sweep. */
  async eventsWithWaiting(limit: number): Promise<string[]> {
    const snapshot = await this.db
      .collection(WAITLIST_GATES_COLLECTION)
      .where('waitingCount', '>', 0)
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => doc.id);
  }
}
