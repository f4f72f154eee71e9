import type { Clock } from '../bookings/clock';
import { logger } from '../logging/logger';
import type { MessagePublisher } from './message-publisher';
import type { OutboxRecord, OutboxRepository } from './outbox-repository';

/** What one sweep of the outbox did. */
export interface SweepCounts {
  readonly examined: number;
  readonly published: number;
  readonly failed: number;
}

/** Largest batch of one sweep, so a sweep stays well inside its function's timeout. */
export const MAX_SWEEP_BATCH = 100;

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

  /** Publishes unsent records older than {@link SWEEP_MIN_AGE_MS}, one bounded batch. */
  async sweep(limit: number = MAX_SWEEP_BATCH): Promise<SweepCounts> {
    const olderThan = new Date(this.clock.now().getTime() - SWEEP_MIN_AGE_MS);
    const records = await this.outbox.unsent(olderThan, Math.min(limit, MAX_SWEEP_BATCH));
    let published = 0;
    // One at a time keeps each booking's messages in their commit order.
    for (const record of records) if (await this.relay(record)) published += 1;
    return { examined: records.length, published, failed: records.length - published };
  }
}
