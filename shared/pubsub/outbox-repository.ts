import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { OutgoingMessage } from './message-publisher';

/** Messages waiting to be published live in `outbox/{id}` until `sentAt` is set. */
export const OUTBOX_COLLECTION = 'outbox';

/** A stored message and its id. */
export interface OutboxRecord extends OutgoingMessage {
  readonly id: string;
}

const recordSchema = z.object({ topic: z.string(), data: z.string(), orderingKey: z.string() });

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

  /** Unsent records created before `olderThan`, oldest first. */
  async unsent(olderThan: Date, limit: number): Promise<OutboxRecord[]> {
    const snapshot = await this.records()
      .where('sentAt', '==', null)
      .where('createdAt', '<=', Timestamp.fromDate(olderThan))
      .orderBy('createdAt')
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => ({ id: doc.id, ...recordSchema.parse(doc.data()) }));
  }
}
