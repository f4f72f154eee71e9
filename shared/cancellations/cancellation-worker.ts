import type { BookingRepository } from '../bookings/booking-repository';
import { settleWithConcurrency } from '../async/bounded-concurrency';
import type { Clock } from '../time/clock';
import type { StoredEvent } from '../events/event';
import type { EventRepository } from '../events/event-repository';
import { logger } from '../logging/logger';
import { GatewayRateLimitError, type PaymentGateway } from '../payments/payment-gateway';
import { refundIdempotencyKey } from '../payments/payment';
import { UNSETTLED_STATUSES, type BookingSettlement, type SettlementOutcome } from './booking-settlement';
import type { CancellationJobRepository } from './cancellation-job-repository';
import { RefundPacer, rateLimitBackoffMs } from './refund-pacer';
import type { DueRefund, RefundQueue } from './refund-queue';

/**
 * One idempotent piece of an event's cancellation, run by the worker until it reports `done`; a step is run
 * again after a crash or when a run's time is up, so it must find its own earlier work and not repeat it.
 * Settling the bookings is the first, cancelling the waitlist's entries the second.
 */
export interface EventCancellationStep {
  readonly name: string;
  run(event: StoredEvent, deadline: Date): Promise<'done' | 'more'>;
}

/** How fast and how long the worker goes; from `shared/config` in production. */
export interface CancellationWorkerSettings {
  /** Refunds sent to Stripe per second, on average over a run. */
  readonly refundsPerSecond: number;
  /** How long one run works before it returns (the scheduler starts the next one). */
  readonly runMs: number;
  /** 429s met by one refund in a row before it is left for the next run. */
  readonly maxRateLimitRetries: number;
}

/** What one run did, returned by `runEventCancellations` and logged. */
export interface CancellationRunReport {
  readonly eventsFinished: number;
  readonly bookingsSettled: Readonly<Record<SettlementOutcome, number>>;
  readonly refundsRequested: number;
  /** Stripe answers 429 met (and retried after a backoff). */
  readonly rateLimited: number;
  /** Units that failed otherwise; each is picked up again by the next run. */
  readonly failed: number;
}

/** Bookings settled per query page, and in parallel (each is one small transaction on its own booking). */
const SETTLE_PAGE = 200;
const SETTLE_CONCURRENCY = 8;
/** Cancelled events one run looks at. */
const JOBS_PER_RUN = 20;
/** How long the refund loop waits for settlements to queue more refunds before it looks again. */
const IDLE_POLL_MS = 250;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The collaborators of {@link EventCancellationWorker}. */
export interface CancellationWorkerDependencies {
  readonly jobs: CancellationJobRepository;
  readonly events: EventRepository;
  readonly refunds: RefundQueue;
  readonly gateway: PaymentGateway;
  readonly clock: Clock;
  readonly settings: CancellationWorkerSettings;
  /** The per-event steps of one run in order, counting settled bookings into `counts`. */
  readonly steps: (counts: Record<SettlementOutcome, number>) => readonly EventCancellationStep[];
}

/** The booking step: settles every `held` and `confirmed` booking of the event, page by page. */
export function settleBookingsStep(
  bookings: BookingRepository,
  settlement: BookingSettlement,
  counts: Record<SettlementOutcome, number>,
  clock: Clock,
): EventCancellationStep {
  return {
    name: 'settle-bookings',
    run: async (event, deadline) => {
      while (clock.now() < deadline) {
        const ids = await bookings.idsOfEventIn(event.id, UNSETTLED_STATUSES, SETTLE_PAGE);
        if (ids.length === 0) return 'done';
        const outcomes = await settleWithConcurrency(ids, SETTLE_CONCURRENCY, (id) =>
          settlement.settle(id, event),
        );
        const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
        for (const outcome of outcomes) if (outcome.status === 'fulfilled') counts[outcome.value] += 1;
        // A booking that keeps failing would be read again at once: leave it to the next run.
        if (failures.length > 0) {
          logger.error('settling bookings of a cancelled event failed; the next run retries them', {
            eventId: event.id,
            failed: failures.length,
            err: failures[0]?.reason,
          });
          return 'more';
        }
      }
      return 'more';
    },
  };
}

/**
 * Works through cancelled events (swept work queue, docs/cancellation.md): one run leases each unfinished
 * cancellation job, runs its steps until they are done or the run's time is up, and meanwhile sends the
 * queued refunds to Stripe at `refundsPerSecond` (bursts of at most one second's worth), backing off on
 * 429s. Every unit is idempotent and every piece of state is in Firestore, so a run that dies part-way
 * leaves nothing lost, and the next run repeats nothing that completed.
 */
export class EventCancellationWorker {
  constructor(private readonly deps: CancellationWorkerDependencies) {}

  /** One run, ending within `runMs` (plus the Stripe calls in flight). */
  async run(): Promise<CancellationRunReport> {
    const deadline = new Date(this.deps.clock.now().getTime() + this.deps.settings.runMs);
    const counts = { cancelled: 0, refund_pending: 0, refund_failed: 0, unchanged: 0 };
    const steps = this.deps.steps(counts);
    let settling = true;
    const jobs = this.runJobs(deadline, steps).finally(() => {
      settling = false;
    });
    const [eventsFinished, refunds] = await Promise.all([jobs, this.sendRefunds(deadline, () => settling)]);
    const report = { eventsFinished, bookingsSettled: { ...counts }, ...refunds };
    logger.info('event cancellation run', { ...report });
    return report;
  }

  private async runJobs(deadline: Date, steps: readonly EventCancellationStep[]): Promise<number> {
    let finished = 0;
    for (const eventId of await this.deps.jobs.runningIds(JOBS_PER_RUN)) {
      if (this.deps.clock.now() >= deadline) break;
      if (!(await this.deps.jobs.lease(eventId, this.deps.clock.now(), deadline))) continue;
      const event = await this.deps.events.find(eventId);
      if (event === undefined) throw new Error(`Cancellation job ${eventId} has no event`);
      if (await this.runSteps(steps, event, deadline)) {
        await this.deps.jobs.finish(eventId, this.deps.clock.now());
        finished += 1;
      } else {
        await this.deps.jobs.release(eventId);
      }
    }
    return finished;
  }

  private async runSteps(
    steps: readonly EventCancellationStep[],
    event: StoredEvent,
    deadline: Date,
  ): Promise<boolean> {
    for (const step of steps) {
      if ((await step.run(event, deadline)) !== 'done') return false;
    }
    return true;
  }

  /**
   * Sends queued refunds until the queue is empty and no settlement can add more, or the time is up. The
   * Stripe call is made under the payment's refund key (the key `cancelBooking` and the webhook use too),
   * so a refund sent again after a crash, by any path, refunds once.
   */
  private async sendRefunds(
    deadline: Date,
    stillSettling: () => boolean,
  ): Promise<Pick<CancellationRunReport, 'refundsRequested' | 'rateLimited' | 'failed'>> {
    const { refundsPerSecond } = this.deps.settings;
    const pacer = new RefundPacer(refundsPerSecond, Math.max(1, Math.floor(refundsPerSecond)));
    const tally = { refundsRequested: 0, rateLimited: 0, failed: 0 };
    const failedHere = new Set<string>();
    // Enough calls in flight to reach the rate at Stripe's usual latency (about 0.5 s per refund).
    const concurrency = Math.max(1, Math.min(64, Math.ceil(refundsPerSecond)));
    while (this.deps.clock.now() < deadline) {
      const page = (await this.deps.refunds.due(concurrency * 4)).filter(
        (refund) => !failedHere.has(refund.bookingId),
      );
      if (page.length === 0) {
        if (!stillSettling()) break;
        await sleep(IDLE_POLL_MS);
        continue;
      }
      const outcomes = await settleWithConcurrency(page, concurrency, (refund) =>
        this.sendOne(refund, pacer, deadline, tally),
      );
      outcomes.forEach((outcome, index) => {
        const refund = page[index];
        if (outcome.status === 'fulfilled' || refund === undefined) return;
        failedHere.add(refund.bookingId);
        tally.failed += 1;
        logger.error('a refund of a cancelled event failed; the next run retries it', {
          bookingId: refund.bookingId,
          paymentId: refund.paymentId,
          err: outcome.reason,
        });
      });
    }
    return tally;
  }

  private async sendOne(
    refund: DueRefund,
    pacer: RefundPacer,
    deadline: Date,
    tally: { refundsRequested: number; rateLimited: number },
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await sleep(pacer.claim(Date.now()));
      try {
        await this.deps.gateway.refundPaymentIntent(
          refund.paymentIntentId,
          refundIdempotencyKey(refund.paymentId),
        );
        break;
      } catch (error) {
        if (!(error instanceof GatewayRateLimitError)) throw error;
        tally.rateLimited += 1;
        if (attempt > this.deps.settings.maxRateLimitRetries || this.deps.clock.now() >= deadline)
          throw error;
        await sleep(rateLimitBackoffMs(attempt));
      }
    }
    await this.deps.refunds.done(refund.bookingId);
    tally.refundsRequested += 1;
  }
}
