import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { TicketInventory } from '../inventory/inventory-store';
import { logDomainEvent } from '../logging/domain-events';
import { logger } from '../logging/logger';
import type { UserNotificationOutbox } from '../notifications/user-notification';
import type { OutboxRelay } from '../pubsub/outbox-relay';
import { isLapsedHold, type Booking } from './booking';
import { bookingEvent } from './booking-events';
import type { BookingRepository } from './booking-repository';
import { settleWithConcurrency } from '../async/bounded-concurrency';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import type { UserHoldRepository } from './user-hold-repository';
import type { WaitlistHooks } from '../waitlist/waitlist-hooks';

/** What one run of the release job did. */
export interface ReleaseCounts {
  /** Lapsed holds the run looked at. */
  readonly examined: number;
  /** Holds this run moved to `expired`, returning their tickets. */
  readonly expired: number;
  /** Holds someone else settled first (paid, cancelled, or expired by a concurrent run). */
  readonly alreadySettled: number;
  /** Holds whose release failed; the next run picks them up again. */
  readonly failed: number;
}

/** Largest batch one call of the release job handles, so that a call stays well inside the function timeout. */
export const MAX_RELEASE_BATCH = 500;

/** Releases run in parallel up to this bound; each is one small transaction on its own booking. */
const RELEASE_CONCURRENCY = 8;

/**
 * Ends holds: returns their tickets to the shards they came from, removes them from the user's open holds
 * and records the new status, all in one transaction guarded by the booking's state, so a hold is released
 * exactly once however often the job runs and whatever a payment does at the same time.
 */
export class HoldReleaseService {
  /** Sweeps of one event in flight in this process; a sold-out crowd shares one instead of each starting one. */
  private readonly eventSweeps = new Map<string, Promise<number>>();

  constructor(
    private readonly db: Firestore,
    private readonly bookings: BookingRepository,
    private readonly holds: UserHoldRepository,
    private readonly inventory: TicketInventory,
    private readonly clock: Clock,
    private readonly notifications: UserNotificationOutbox,
    private readonly relay: Pick<OutboxRelay, 'relay'>,
    private readonly waitlist?: WaitlistHooks,
  ) {}

  /**
   * The writes that end a held booking (writes only; the caller has read the booking in `tx` and checked
   * that it is `held`).
   */
  endHold(
    tx: Transaction,
    booking: Booking,
    status: 'expired' | 'cancelled',
    now: Date,
    recorded: Pick<Booking, 'cancelRequestId'> = {},
  ): void {
    this.inventory.release(tx, booking.eventId, booking.allocation, 'held');
    this.holds.remove(tx, booking.userId, booking.eventId, booking.id);
    this.bookings.changeStatus(tx, booking.id, status, now, recorded);
    this.waitlist?.settleOffer(tx, booking, status, now);
  }

  /**
   * After a commit that returned tickets of the event: lets the waitlist offer them now instead of at its
   * next minute's sweep. A failure is logged, not thrown: the return has happened, and the sweep offers the
   * tickets anyway.
   */
  async ticketsReturned(eventIds: Iterable<string>): Promise<void> {
    const waitlist = this.waitlist;
    if (waitlist === undefined) return;
    await Promise.all(
      [...new Set(eventIds)].map((eventId) =>
        waitlist.ticketsReturned(eventId).catch((err: unknown) => {
          logger.error('offering returned tickets failed; the waitlist sweep offers them', { eventId, err });
        }),
      ),
    );
  }

  /**
   * Moves one booking to `expired` if, read in the transaction, it is still a lapsed hold, and tells its
   * owner (`booking.expired`) in the same transaction (a hold the user cancelled is not announced); returns
   * the event whose tickets it returned.
   */
  async expireIfLapsed(bookingId: string): Promise<string | undefined> {
    const expired = await runTransactionWithRetry(this.db, async (tx) => {
      const booking = await this.bookings.getIn(tx, bookingId);
      const now = this.clock.now();
      if (booking === undefined || !isLapsedHold(booking, now)) return undefined;
      this.endHold(tx, booking, 'expired', now);
      const notice = this.notifications.add(
        tx,
        {
          userId: booking.userId,
          type: 'booking.expired',
          eventId: booking.eventId,
          bookingId: booking.id,
          changeKey: booking.id,
          data: { quantity: booking.quantity },
        },
        now,
      );
      return { booking, notice };
    });
    if (expired === undefined) return undefined;
    logDomainEvent(bookingEvent('booking.expired', expired.booking));
    await this.relay.relay(expired.notice);
    return expired.booking.eventId;
  }

  /** One bounded run of the release job over all events (Cloud Scheduler calls it every minute). */
  async releaseLapsedHolds(limit: number): Promise<ReleaseCounts> {
    const ids = await this.bookings.lapsedHoldIds(this.clock.now(), Math.min(limit, MAX_RELEASE_BATCH));
    return this.expireAll(ids);
  }

  /**
   * Releases lapsed holds of one event; `book` calls it before answering sold-out, so that an on-sale never
   * turns buyers away while unpaid, expired holds sit on its tickets. Concurrent callers in this process
   * share one sweep. Returns how many holds were released.
   */
  releaseLapsedHoldsOfEvent(eventId: string, limit: number): Promise<number> {
    const running = this.eventSweeps.get(eventId);
    if (running !== undefined) return running;
    const sweep = this.bookings
      .lapsedHoldIds(this.clock.now(), limit, eventId)
      .then(async (ids) => (await this.expireAll(ids)).expired)
      .finally(() => this.eventSweeps.delete(eventId));
    this.eventSweeps.set(eventId, sweep);
    return sweep;
  }

  private async expireAll(ids: readonly string[]): Promise<ReleaseCounts> {
    const outcomes = await settleWithConcurrency(ids, RELEASE_CONCURRENCY, (id) => this.expireIfLapsed(id));
    let expired = 0;
    let alreadySettled = 0;
    let failed = 0;
    const returnedTo: string[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected') {
        failed += 1;
        logger.error('releasing a lapsed hold failed; the next run retries it', {
          bookingId: ids[index],
          err: outcome.reason,
        });
      } else if (outcome.value !== undefined) {
        expired += 1;
        returnedTo.push(outcome.value);
      } else {
        alreadySettled += 1;
      }
    });
    await this.ticketsReturned(returnedTo);
    return { examined: ids.length, expired, alreadySettled, failed };
  }
}
