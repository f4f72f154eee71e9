import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import * as z from 'zod';
import { EntityCollection } from '../firebase/entity-collection';
import { entityConverter } from '../firebase/entity-converter';
import { storedTimestamp } from '../firebase/stored-timestamp';

/** One document per cancelled event, `eventCancellations/{eventId}`: the durable record of the fan-out owed. */
export const EVENT_CANCELLATIONS_COLLECTION = 'eventCancellations';

/** The fan-out owed for one cancelled event; `id` is the event's id. */
export interface CancellationJob {
  readonly id: string;
  readonly companyId: string;
  /** `running` until every booking of the event has been settled and every per-event step has run. */
  readonly state: 'running' | 'done';
  /** The `cancelEvent` request that cancelled the event: a re-run of its transaction recognises it. */
  readonly requestId: string;
  readonly cancelledBy: string;
  readonly createdAt: Date;
  /** A worker run works on the job until then; another run leaves it alone meanwhile. */
  readonly leaseUntil?: Date;
  readonly finishedAt?: Date;
}

const jobDocument = z.object({
  id: z.string(),
  companyId: z.string(),
  state: z.enum(['running', 'done']),
  requestId: z.string(),
  cancelledBy: z.string(),
  createdAt: storedTimestamp,
  leaseUntil: storedTimestamp.optional(),
  finishedAt: storedTimestamp.optional(),
});

const jobConverter = entityConverter<CancellationJob>(jobDocument, (job) => {
  const { id: _id, createdAt, leaseUntil, finishedAt, ...fields } = job;
  return {
    ...fields,
    createdAt: Timestamp.fromDate(createdAt),
    ...(leaseUntil === undefined ? {} : { leaseUntil: Timestamp.fromDate(leaseUntil) }),
    ...(finishedAt === undefined ? {} : { finishedAt: Timestamp.fromDate(finishedAt) }),
  };
});

/** Reads and writes `eventCancellations/{eventId}`. */
export class CancellationJobRepository extends EntityCollection<CancellationJob> {
  constructor(private readonly db: Firestore) {
    super(db.collection(EVENT_CANCELLATIONS_COLLECTION).withConverter(jobConverter));
  }

  private doc(eventId: string) {
    return this.db.collection(EVENT_CANCELLATIONS_COLLECTION).doc(eventId);
  }

  /** Ids of up to `limit` events whose fan-out is not finished, oldest cancellation first. */
  async runningIds(limit: number): Promise<string[]> {
    const snapshot = await this.db
      .collection(EVENT_CANCELLATIONS_COLLECTION)
      .where('state', '==', 'running')
      .orderBy('createdAt')
      .limit(limit)
      .select()
      .get();
    return snapshot.docs.map((document) => document.id);
  }

  /**
   * Leases the running job until `until` unless another run holds an unexpired lease on it; true when
   * this run may work on it.
   */
  async lease(eventId: string, now: Date, until: Date): Promise<boolean> {
    return this.db.runTransaction(async (tx) => {
      const job = await this.getIn(tx, eventId);
      if (job?.state !== 'running') return false;
      if (job.leaseUntil !== undefined && job.leaseUntil.getTime() > now.getTime()) return false;
      tx.update(this.doc(eventId), { leaseUntil: Timestamp.fromDate(until) });
      return true;
    });
  }

  /** Gives the lease back, so that the next run need not wait for it to expire. */
  async release(eventId: string): Promise<void> {
    await this.doc(eventId).update({ leaseUntil: Timestamp.fromMillis(0) });
  }

  /** Marks the job done: nothing of the event is left to settle. */
  async finish(eventId: string, now: Date): Promise<void> {
    await this.doc(eventId).update({ state: 'done', finishedAt: Timestamp.fromDate(now) });
  }
}
