import { settleWithConcurrency } from '../async/bounded-concurrency';
import type { Clock } from '../time/clock';
import { logger } from '../logging/logger';
import type { TicketIssuer } from './ticket-issuer';
import type { TicketsDueRepository } from './tickets-due';

/** What one run of the reconciliation did. */
export interface ReconciliationCounts {
  /** Paid bookings that had waited too long for their tickets. */
  readonly overdue: number;
  /** Of those, bookings this run issued tickets to. */
  readonly issued: number;
  /** Bookings that needed none after all (refunded meanwhile, or issued concurrently). */
  readonly settled: number;
  /** Bookings whose issuing failed; the next run tries them again. */
  readonly failed: number;
}

/** Most bookings one run looks at, so that it ends well inside its function's timeout. */
export const MAX_RECONCILE_BATCH = 200;

const ISSUE_CONCURRENCY = 8;

/**
 * The `alert` field of the error line written for each paid booking found without tickets; the log-based
 * metric of terraform/monitoring.tf counts these lines (docs/observability.md).
 */
export const OVERDUE_TICKETS_ALERT = 'paid-booking-without-tickets';

/**
 * Finds paid bookings still without tickets long after their confirmation (their `payment-confirmed`
 * message was dead-lettered, or is still being retried) and issues their tickets with the subscriber's own
 * idempotent issuer, so that no paid booking is silently left without tickets. Each one is an incident
 * worth knowing about, so each gets an error line an alert matches.
 */
export class TicketReconciler {
  constructor(
    private readonly due: TicketsDueRepository,
    private readonly issuer: TicketIssuer,
    private readonly clock: Clock,
    private readonly overdueAfterMinutes: number,
  ) {}

  /** One bounded run (Cloud Scheduler calls it every five minutes). */
  async reconcile(limit: number = MAX_RECONCILE_BATCH): Promise<ReconciliationCounts> {
    const now = this.clock.now();
    const dueBefore = new Date(now.getTime() - this.overdueAfterMinutes * 60_000);
    const overdue = await this.due.waitingSince(dueBefore, Math.min(limit, MAX_RECONCILE_BATCH));
    const outcomes = await settleWithConcurrency(overdue, ISSUE_CONCURRENCY, (booking) =>
      this.issuer.issue({ bookingId: booking.bookingId }),
    );
    let issued = 0;
    let failed = 0;
    outcomes.forEach((outcome, index) => {
      const booking = overdue[index];
      if (booking === undefined || (outcome.status === 'fulfilled' && outcome.value === 0)) return;
      const fields = {
        alert: OVERDUE_TICKETS_ALERT,
        bookingId: booking.bookingId,
        ticketsDueSince: booking.dueSince.toISOString(),
        waitedMinutes: Math.floor((now.getTime() - booking.dueSince.getTime()) / 60_000),
      };
      if (outcome.status === 'rejected') {
        failed += 1;
        logger.error('paid booking without tickets: issuing them failed; the next run retries', {
          ...fields,
          err: outcome.reason,
        });
      } else {
        issued += 1;
        logger.error('paid booking without tickets: the reconciliation issued them', {
          ...fields,
          issued: outcome.value,
        });
      }
    });
    return { overdue: overdue.length, issued, settled: overdue.length - issued - failed, failed };
  }
}
