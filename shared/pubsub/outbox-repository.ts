import { FieldPath, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { OutgoingMessage } from './message-publisher';

/** Messages waiting to be published live in `outbox/{id}` until `sentAt` is set. */
export const OUTBOX_COLLECTION = 'outbox';

/** A stored message and its id. */
export interface OutboxRecord extends OutgoingMessage {
  readonly id: string;
}

/** Where a page of unsent records ended: the next page starts after it. */
export interface OutboxCursor {
  readonly createdAt: Timestamp;
  readonly id: string;
}

/** A page of unsent records and the cursor after its last one. */
export interface OutboxPage {
  readonly records: readonly OutboxRecord[];
  readonly next: OutboxCursor | undefined;
}

/** Firestore's limit of writes in one batch. */
const MAX_BATCH_WRITES = 500;

const recordSchema = z.object({
  topic: z.string(),
  data: z.string(),
  orderingKey: z.string(),
  createdAt: z.instanceof(Timestamp),
});

/**
 * The transactional outbox: a message is written in the transaction whose change it announces, so it exists
 * exactly when the change does; publishing happens after the commit and may be retried.
 */
export class OutboxRepository {
  constructor(private readonly db: Firestore) {}

  private records() {
    return this.db.collection(OUTBOX_COLLECTION);
  }

  /** Adds a message in `tx` (writes only) and returns it with its id. */
  add(tx: Transaction, message: OutgoingMessage, now: Date): OutboxRecord {
    const ref = this.records().doc();
    tx.create(ref, { ...message, createdAt: Timestamp.fromDate(now), sentAt: null });
    return { id: ref.id, ...message };
  }

  /** Marks a record published; a record published twice is harmless, the subscriber is idempotent. */
  async markSent(id: string, now: Date): Promise<void> {
    await this.records()
      .doc(id)
      .update({ sentAt: Timestamp.fromDate(now) });
  }

  /** Marks records published in batched writes; one batch of up to 500 records is one commit. */
  async markAllSent(ids: readonly string[], now: Date): Promise<void> {
    const sentAt = Timestamp.fromDate(now);
    for (let start = 0; start < ids.length; start += MAX_BATCH_WRITES) {
      const batch = this.db.batch();
      for (const id of ids.slice(start, start + MAX_BATCH_WRITES))
        batch.update(this.records().doc(id), { sentAt });
      await batch.commit();
    }
  }

  /**
   * Unsent records created before `olderThan`, oldest first, starting after `after`. The cursor (creation
   * time, then id) lets a sweep move past records it failed to publish instead of reading them again.
   */
  async unsent(olderThan: Date, limit: number, after?: OutboxCursor): Promise<OutboxPage> {
    let query = this.records()
      .where('sentAt', '==', null)
      .where('createdAt', '<=', Timestamp.fromDate(olderThan))
      .orderBy('createdAt')
      .orderBy(FieldPath.documentId());
    if (after !== undefined) query = query.startAfter(after.createdAt, after.id);
    const snapshot = await query.limit(limit).get();
    const records = snapshot.docs.map((doc) => ({ id: doc.id, ...recordSchema.parse(doc.data()) }));
    const last = records.at(-1);
    return {
      records: records.map(({ createdAt: _createdAt, ...record }) => record),
      next: last === undefined ? undefined : { createdAt: last.createdAt, id: last.id },
    };
  }
}
