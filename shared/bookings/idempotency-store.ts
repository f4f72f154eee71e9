import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { IdempotencyRecord } from './idempotency';

/**
 * Remembered keys, `idempotencyKeys/{sha256(userId:key)}`. A Firestore TTL policy on `expiresAt` deletes
 * them; code ignores expired ones itself because TTL deletion lags by up to a day.
 */
export const IDEMPOTENCY_COLLECTION = 'idempotencyKeys';

const recordDocument = z.object({
  userId: z.string(),
  requestHash: z.string(),
  response: z.object({ status: z.number().int(), body: z.string() }),
  expiresAt: z.instanceof(Timestamp).transform((value) => value.toDate()),
});

/** Reads and writes idempotency records. */
export class IdempotencyStore {
  constructor(private readonly db: Firestore) {}

  private ref(recordId: string) {
    return this.db.collection(IDEMPOTENCY_COLLECTION).doc(recordId);
  }

  /** The record, read outside any transaction (records never change, so a replay needs no lock). */
  async find(recordId: string): Promise<IdempotencyRecord | undefined> {
    const data = (await this.ref(recordId).get()).data();
    return data === undefined ? undefined : recordDocument.parse(data);
  }

  /** The record, read in `tx`: a racing twin request then finds it on its retry. */
  async getIn(tx: Transaction, recordId: string): Promise<IdempotencyRecord | undefined> {
    const data = (await tx.get(this.ref(recordId))).data();
    return data === undefined ? undefined : recordDocument.parse(data);
  }

  /** Stores the record in `tx`, replacing an expired one with the same id. */
  save(tx: Transaction, recordId: string, record: IdempotencyRecord, now: Date): void {
    tx.set(this.ref(recordId), {
      userId: record.userId,
      requestHash: record.requestHash,
      response: { status: record.response.status, body: record.response.body },
      createdAt: Timestamp.fromDate(now),
      expiresAt: Timestamp.fromDate(record.expiresAt),
    });
  }
}
