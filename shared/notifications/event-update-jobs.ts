import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';

/** Fan-out jobs live in `notificationFanouts/{eventId}_v{version}`, their recipients in a subcollection. */
export const FANOUTS_COLLECTION = 'notificationFanouts';

/** A stored fan-out job: what to announce, and how far the fan-out has got. */
export const fanoutJobDocument = z.object({
  eventId: z.string(),
  changeKey: z.string(),
  data: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'done']),
  /** Index of the audience source being worked, and the cursor inside it. */
  source: z.number().int(),
  cursor: z.string().nullable(),
  recipients: z.number().int(),
});

type FanoutJob = z.infer<typeof fanoutJobDocument>;

/**
 * Schedules `event.updated` announcements as fan-out jobs, which `EventUpdateFanout` works later. Apart
 * from the worker, so that `updateEvent`, which only schedules, bundles no Pub/Sub client (decision 271).
 */
export class EventUpdateJobs {
  constructor(private readonly db: Firestore) {}

  /**
   * Schedules the announcement (writes only): `version` is the event's version after the change, so each
   * change is announced once however often the transaction runs.
   */
  schedule(
    tx: Transaction,
    eventId: string,
    version: number,
    data: Record<string, unknown>,
    now: Date,
  ): void {
    const job: FanoutJob & { createdAt: Timestamp } = {
      eventId,
      changeKey: `${eventId}:v${version}`,
      data,
      status: 'pending',
      source: 0,
      cursor: null,
      recipients: 0,
      createdAt: Timestamp.fromDate(now),
    };
    tx.set(this.db.collection(FANOUTS_COLLECTION).doc(`${eventId}_v${version}`), job);
  }
}
