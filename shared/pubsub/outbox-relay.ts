import type { Clock } from '../time/clock';
import { logger } from '../logging/logger';
import type { MessagePublisher } from './message-publisher';
import type { OutboxCursor, OutboxRecord, OutboxRepository } from './outbox-repository';

/** What one sweep of the outbox did. */
export interface SweepCounts {
  readonly examined: number;
  readonly published: number;
  readonly failed: number;
}

/** Records one sweep reads, publishes and marks sent together. */
export const SWEEP_PAGE_SIZE = 500;

/** Most records one sweep handles, so that a run ends well inside its function's 50 s timeout. */
export const MAX_SWEEP_RECORDS = 10_000;

/** A sweep starts no new page after this long, whatever is left: the next run continues. */
export const SWEEP_TIME_BUDGET_MS = 30_000;

/** Records younger than this are left to the function that wrote them, which publishes right after commit. */
export const SWEEP_MIN_AGE_MS = 10_000;

/** Publishes outbox records and marks them sent: right after a commit, and by the sweeper for leftovers. */
export class OutboxRelay {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: MessagePublisher,
    private readonly clock: Clock,
  ) {}

  /**
   * Publishes one record. A failure is logged, not thrown: the change it announces has committed, and the
   * sweeper publishes the record later.
   */
  async relay(record: OutboxRecord): Promise<boolean> {
    try {
      await this.publisher.publish(record);
      await this.outbox.markSent(record.id, this.clock.now());
      return true;
    } catch (error) {
      logger.warn('publishing an outbox record failed; the sweeper retries it', {
        outboxId: record.id,
        topic: record.topic,
        err: error,
      });
      return false;
    }
  }

  /**
   * Publishes unsent records older than {@link SWEEP_MIN_AGE_MS}, page by page: each page's messages are
   * published at once (the Pub/Sub client batches them into few requests, in order per ordering key) and
   * the published ones are marked sent in one batched write. A record that fails stays unsent for the
   * next run, and the sweep moves on past it.
   */
  async sweep(maxRecords: number = MAX_SWEEP_RECORDS): Promise<SweepCounts> {
    const olderThan = new Date(this.clock.now().getTime() - SWEEP_MIN_AGE_MS);
    const startedAt = performance.now();
    let examined = 0;
    let published = 0;
    let after: OutboxCursor | undefined;
    while (examined < maxRecords && performance.now() - startedAt < SWEEP_TIME_BUDGET_MS) {
      const limit = Math.min(SWEEP_PAGE_SIZE, maxRecords - examined);
      const page = await this.outbox.unsent(olderThan, limit, after);
      examined += page.records.length;
      published += await this.publishPage(page.records);
      after = page.next;
      if (page.records.length < limit) break;
    }
    return { examined, published, failed: examined - published };
  }

  private async publishPage(records: readonly OutboxRecord[]): Promise<number> {
    const outcomes = await Promise.allSettled(records.map((record) => this.publisher.publish(record)));
    const sent = records.filter((_, index) => outcomes[index]?.status === 'fulfilled');
    const firstFailure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (firstFailure !== undefined) {
      logger.warn('publishing outbox records failed; the next sweep retries them', {
        failed: records.length - sent.length,
        err: firstFailure.reason,
      });
    }
    await this.outbox.markAllSent(
      sent.map((record) => record.id),
      this.clock.now(),
    );
    return sent.length;
  }
}

/**
 * The relay of a function that Terraform grants no topic: it publishes nothing and reports every record
 * unsent, leaving it to `sweepOutbox`, which publishes it once it is {@link SWEEP_MIN_AGE_MS} old. Such a
 * function's bundle then holds no Pub/Sub client (decision 270).
 */
export const leaveToSweeper: Pick<OutboxRelay, 'relay'> = {
  relay: () => Promise.resolve(false),
};
