import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { Booking } from '../bookings/booking';
import type { BookingRepository } from '../bookings/booking-repository';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { liveHolds } from '../bookings/hold-limit';
import { priceReservation } from '../bookings/ticket-pricing';
import type { UserHoldRepository } from '../bookings/user-hold-repository';
import { isCancelled } from '../events/event';
import { hasStarted } from '../events/event-rules';
import type { EventRepository } from '../events/event-repository';
import { coalescingReads } from '../firebase/coalesced-reads';
import type { TicketInventory } from '../inventory/inventory-store';
import { logger } from '../logging/logger';
import type { UserNotificationOutbox } from '../notifications/user-notification';
import type { OutboxRecord } from '../pubsub/outbox-repository';
import { chooseOffers, splitReservation } from './offer-rule';
import { gateWith, type OfferOutcome } from './waitlist-entry';
import { settleOffer, type WaitlistHooks } from './waitlist-hooks';
import type { WaitlistRepository } from './waitlist-repository';
import type { WaitlistService } from './waitlist-service';

/** The collaborators of {@link WaitlistOffers}. */
export interface WaitlistOffersDependencies {
  readonly db: Firestore;
  readonly events: EventRepository;
  readonly entries: WaitlistRepository;
  readonly bookings: BookingRepository;
  readonly holds: UserHoldRepository;
  readonly inventory: TicketInventory;
  readonly notifications: UserNotificationOutbox;
  /** Publishes an outbox record after its commit (the sweeper publishes it otherwise). */
  readonly relay: (record: OutboxRecord) => Promise<unknown>;
  readonly waitlist: Pick<WaitlistService, 'expireWaiting'>;
  readonly clock: Clock;
}

/** Waiting entries one offer transaction reads, in join order. */
const ENTRIES_READ = 100;
/** Offers one transaction makes at most, so that it stays well inside Firestore's limits. */
const OFFERS_PER_TRANSACTION = 20;
/** Rounds one call makes at most; the sweep or the next return continues. */
const MAX_ROUNDS = 50;
/** Events one sweep visits. */
const SWEEP_EVENTS = 200;

/** What one offer round did. */
type RoundOutcome = 'offered' | 'nothing-fits' | 'stale';

/** What one sweep did. */
export interface OfferSweepCounts {
  readonly events: number;
  readonly offers: number;
  readonly expiredEntries: number;
}

/**
 * Offers returned tickets to waiting entries ("earliest entry that fits"), each offer a held booking taken
 * from the shards in the same transaction that moves the entry to `offered`. Runs after every return (the
 * push) and every minute over every event with a waitlist (the sweep), so a return whose push was lost is
 * still offered. Offer transactions of one event all write its gate, so they never overlap: no entry is
 * offered twice, and a ticket offered is taken from the shards like any booking's.
 */
export class WaitlistOffers implements WaitlistHooks {
  /** Per event, the offer run of this process in flight after a return. */
  private readonly runs = new Map<string, Promise<void>>();
  /** Events whose tickets returned during their run: it makes one more round. */
  private readonly rerun = new Set<string>();

  constructor(private readonly deps: WaitlistOffersDependencies) {}

  /** Offers the event's free tickets to its waitlist; returns how many offers it made. */
  async offerFreeTickets(eventId: string): Promise<number> {
    let offers = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const free = (await this.deps.inventory.availability([eventId])).get(eventId)?.availableTickets ?? 0;
      if (free === 0) return offers;
      const { outcome, made } = await this.offerRound(eventId, free);
      offers += made;
      if (outcome === 'nothing-fits') return offers;
    }
    return offers;
  }

  /**
   * {@inheritDoc WaitlistHooks.ticketsReturned}
   *
   * Returns of one event in this process share one run: a return during a run asks for one more round
   * after it, and its caller waits for that, instead of starting a run that would only contend with the
   * first one on the event's gate.
   */
  ticketsReturned(eventId: string): Promise<void> {
    const running = this.runs.get(eventId);
    if (running !== undefined) {
      this.rerun.add(eventId);
      return running;
    }
    const run = (async () => {
      do {
        this.rerun.delete(eventId);
        const gate = await this.deps.entries.findGate(eventId);
        if (gate.waitingCount > 0) await this.offerFreeTickets(eventId);
      } while (this.rerun.has(eventId));
    })().finally(() => this.runs.delete(eventId));
    this.runs.set(eventId, run);
    return run;
  }

  /** {@inheritDoc WaitlistHooks.settleOffer} */
  settleOffer(tx: Transaction, booking: Booking, outcome: OfferOutcome, now: Date): void {
    settleOffer(this.deps.entries, tx, booking, outcome, now);
  }

  /**
   * The minute's sweep: every event with waiting entries gets its free tickets offered, or, once started,
   * its waiting entries expired. Cancelled events are left to the cancellation, which cancels the entries.
   */
  async sweep(): Promise<OfferSweepCounts> {
    const eventIds = await this.deps.entries.eventsWithWaiting(SWEEP_EVENTS);
    let offers = 0;
    let expiredEntries = 0;
    for (const eventId of eventIds) {
      try {
        const event = await this.deps.events.find(eventId);
        if (event === undefined || hasStarted(event, this.deps.clock.now())) {
          expiredEntries += await this.deps.waitlist.expireWaiting(eventId);
        } else {
          offers += await this.offerFreeTickets(eventId);
        }
      } catch (err: unknown) {
        logger.error('the waitlist sweep failed for an event; the next sweep retries it', { eventId, err });
      }
    }
    return { events: eventIds.length, offers, expiredEntries };
  }

  /**
   * One transaction: the earliest waiting entries that fit `free` (read outside, a hint) get held bookings
   * for their quantities, reserved together and split in join order. When the shards hold less than the
   * hint said, nothing is written and the caller reads availability again.
   */
  private async offerRound(eventId: string, free: number): Promise<{ outcome: RoundOutcome; made: number }> {
    const { outcome, records } = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const reads = coalescingReads(tx);
      const [gate, event, waiting] = await Promise.all([
        this.deps.entries.gateIn(reads, eventId),
        this.deps.events.getIn(reads, eventId),
        this.deps.entries.waitingIn(tx, eventId, ENTRIES_READ),
      ]);
      const now = this.deps.clock.now();
      const none = { outcome: 'nothing-fits' as RoundOutcome, records: [] as OutboxRecord[] };
      if (event === undefined || isCancelled(event) || hasStarted(event, now) || gate.waitingCount === 0)
        return none;
      const chosen = chooseOffers(waiting, free, OFFERS_PER_TRANSACTION);
      if (chosen.length === 0) return none;
      const total = chosen.reduce((sum, entry) => sum + entry.quantity, 0);
      const [prepared, holds] = await Promise.all([
        this.deps.inventory.prepareReservation(tx, eventId, total),
        Promise.all(chosen.map((entry) => this.deps.holds.getIn(reads, entry.userId, eventId))),
      ]);
      if (prepared === undefined) return { outcome: 'stale' as RoundOutcome, records: [] };
      const parts = splitReservation(
        prepared.reservation,
        chosen.map((entry) => entry.quantity),
      );
      prepared.apply();
      let nextGate = gate;
      const made = chosen.map((entry, index) => {
        const part = parts[index];
        if (part === undefined) throw new Error('the reservation was split into fewer parts than offers');
        const booking: Booking = {
          id: this.deps.bookings.newId(),
          eventId,
          userId: entry.userId,
          companyId: event.companyId,
          quantity: entry.quantity,
          status: 'held',
          ...priceReservation(part, event),
          allocation: part.takes,
          expiresAt: new Date(now.getTime() + event.holdMinutes * 60_000),
          createdAt: now,
          updatedAt: now,
          waitlistEntryId: entry.id,
        };
        this.deps.bookings.create(tx, booking);
        this.deps.holds.replace(tx, entry.userId, eventId, {
          ...liveHolds(holds[index] ?? {}, now),
          [booking.id]: { quantity: booking.quantity, expiresAt: booking.expiresAt },
        });
        this.deps.entries.changeStatus(tx, entry.id, 'offered', now, { bookingId: booking.id });
        nextGate = gateWith(nextGate, entry.quantity, -1);
        return this.deps.notifications.add(
          tx,
          {
            userId: entry.userId,
            type: 'waitlist.offered',
            eventId,
            bookingId: booking.id,
            changeKey: entry.id,
            data: {
              entryId: entry.id,
              quantity: booking.quantity,
              total: booking.total,
              currency: booking.currency,
              expiresAt: booking.expiresAt.toISOString(),
            },
          },
          now,
        );
      });
      this.deps.entries.writeGate(tx, nextGate);
      return { outcome: 'offered' as RoundOutcome, records: made };
    });
    await Promise.all(records.map((record) => this.deps.relay(record)));
    if (records.length > 0) logger.info('waitlist.offered', { eventId, offers: records.length });
    return { outcome, made: records.length };
  }
}
