import type { Firestore } from 'firebase-admin/firestore';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { logger } from '../logging/logger';
import type { OutboxRelay } from '../pubsub/outbox-relay';
import type { EventAudienceSource } from './event-audience';
import { FANOUTS_COLLECTION, fanoutJobDocument } from './event-update-jobs';
import type { UserNotificationOutbox } from './user-notification';

/** Audience entries one page reads; each page is one transaction of at most two writes per recipient. */
export const FANOUT_PAGE_SIZE = 200;

/** A run starts no new page after this long; the next scheduled run continues where it stopped. */
export const FANOUT_TIME_BUDGET_MS = 30_000;

/** What one run did. */
export interface FanoutCounts {
  readonly jobs: number;
  readonly notified: number;
  readonly finished: number;
}

/**
 * The `event.updated` announcement of one change of an event's start or venue, as a durable job: written
 * in `updateEvent`'s transaction (`EventUpdateJobs`), worked here page by page, so that a change of an
 * event with 50,000 bookings never is one giant transaction, and a crash part-way resumes from the last
 * committed page.
 */
export class EventUpdateFanout {
  constructor(
    private readonly db: Firestore,
    private readonly audience: readonly EventAudienceSource[],
    private readonly notifications: UserNotificationOutbox,
    private readonly relay: Pick<OutboxRelay, 'relay'>,
    private readonly clock: Clock,
    private readonly pageSize: number = FANOUT_PAGE_SIZE,
  ) {}

  private jobs() {
    return this.db.collection(FANOUTS_COLLECTION);
  }

  /**
   * Works pending jobs, oldest first, until they are done or the time budget is spent; every run commits at
   * least one page, however small its budget.
   */
  async run(budgetMs: number = FANOUT_TIME_BUDGET_MS): Promise<FanoutCounts> {
    const startedAt = performance.now();
    const pending = await this.jobs().where('status', '==', 'pending').orderBy('createdAt').limit(20).get();
    let notified = 0;
    let finished = 0;
    for (const doc of pending.docs) {
      let done = false;
      while (!done) {
        const step = await this.step(doc.id);
        notified += step.notified;
        done = step.done;
        if (done) finished += 1;
        if (performance.now() - startedAt > budgetMs) return { jobs: pending.size, notified, finished };
      }
    }
    return { jobs: pending.size, notified, finished };
  }

  /**
   * One page of one job: reads the audience page outside any transaction, then, in one transaction that
   * checks the job is still where the page started (two runs never both commit a page), notifies each user
   * of the page not notified before and moves the cursor. Publishing follows the commit.
   */
  private async step(jobId: string): Promise<{ notified: number; done: boolean }> {
    const ref = this.jobs().doc(jobId);
    const job = fanoutJobDocument.parse((await ref.get()).data());
    const source = this.audience[job.source];
    if (job.status === 'done' || source === undefined) {
      if (job.status !== 'done') await ref.update({ status: 'done' });
      return { notified: 0, done: true };
    }
    const page = await source.page(job.eventId, job.cursor ?? undefined, this.pageSize);
    const users = [...new Set(page.userIds)];
    const recipients = ref.collection('recipients');
    const records = await runTransactionWithRetry(this.db, async (tx) => {
      const current = fanoutJobDocument.parse((await tx.get(ref)).data());
      if (current.source !== job.source || current.cursor !== job.cursor) return undefined;
      const seen = await Promise.all(users.map(async (uid) => (await tx.get(recipients.doc(uid))).exists));
      const fresh = users.filter((_, index) => seen[index] !== true);
      const now = this.clock.now();
      const written = fresh.map((uid) => {
        tx.create(recipients.doc(uid), {});
        return this.notifications.add(
          tx,
          {
            userId: uid,
            type: 'event.updated',
            eventId: job.eventId,
            changeKey: job.changeKey,
            data: job.data,
          },
          now,
        );
      });
      const lastOfSource = page.next === undefined;
      const nextSource = lastOfSource ? job.source + 1 : job.source;
      tx.update(ref, {
        source: nextSource,
        cursor: lastOfSource ? null : page.next,
        recipients: current.recipients + fresh.length,
        status: nextSource >= this.audience.length ? 'done' : 'pending',
      });
      return written;
    });
    // Another run committed this page first: read the job again.
    if (records === undefined) return { notified: 0, done: false };
    await Promise.all(records.map((record) => this.relay.relay(record)));
    const done = page.next === undefined && job.source + 1 >= this.audience.length;
    if (done)
      logger.info('event.updated fan-out finished', { jobId, recipients: job.recipients + records.length });
    return { notified: records.length, done };
  }
}
