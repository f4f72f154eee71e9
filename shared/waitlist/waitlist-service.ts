import { randomUUID } from 'node:crypto';
import type { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import type { HoldReleaseService } from '../bookings/hold-release-service';
import { assertBookable } from '../bookings/booking-rules';
import { ConflictError, NotFoundError } from '../errors/domain-errors';
import type { EventRepository } from '../events/event-repository';
import type { TicketInventory } from '../inventory/inventory-store';
import { logger } from '../logging/logger';
import { keptForWaitlistIn } from './waitlist-gate';
import {
  ACTIVE_WAITLIST_STATUSES,
  MY_WAITLIST_DAYS,
  toEntryResponse,
  gateWith,
  type WaitlistEntry,
  type WaitlistEntryResponse,
  type WaitlistGate,
} from './waitlist-entry';
import { WAITLIST_PAGE, type WaitlistRepository } from './waitlist-repository';
import type { JoinWaitlistBody } from './waitlist-schemas';

/** The collaborators of {@link WaitlistService}. */
export interface WaitlistServiceDependencies {
  readonly db: Firestore;
  readonly events: EventRepository;
  readonly entries: WaitlistRepository;
  readonly inventory: TicketInventory;
  readonly holdRelease: Pick<HoldReleaseService, 'releaseLapsedHoldsOfEvent'>;
  /** Refuses joins of an account whose deletion has started, in the joining transaction. */
  readonly deletions: Pick<AccountDeletionRepository, 'assertNotClosingIn'>;
  readonly clock: Clock;
}

/** Lapsed holds `joinWaitlist` releases first: they count as free, so they may make joining pointless. */
const RELEASE_BEFORE_JOINING = 20;

function entryNotFound(): NotFoundError {
  return new NotFoundError('No waitlist entry with this id.');
}

/**
 * Joining, reading and leaving waitlists, and the bulk seams other features call (event cancellation,
 * account export and deletion, event-update audiences). Offers are made by `WaitlistOffers`.
 */
export class WaitlistService {
  constructor(private readonly deps: WaitlistServiceDependencies) {}

  /**
   * Puts the user on the event's waitlist. In one transaction with the event's gate and shards: it succeeds
   * exactly when `book` of the same quantity would answer sold-out, so a ticket returning at the same moment
   * either makes this a 409 `tickets-available` or, joining first, is offered to this entry.
   */
  async join(userId: string, body: JoinWaitlistBody): Promise<{ entry: WaitlistEntryResponse }> {
    const { eventId, quantity } = body;
    assertBookable(await this.deps.events.find(eventId), quantity, this.deps.clock.now());
    await this.deps.holdRelease.releaseLapsedHoldsOfEvent(eventId, RELEASE_BEFORE_JOINING);
    const entryId = this.deps.entries.newId();
    const entry = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const [event, gate, activeId, prepared] = await Promise.all([
        this.deps.events.getIn(tx, eventId),
        this.deps.entries.gateIn(tx, eventId),
        this.deps.entries.activeEntryIdIn(tx, eventId, userId),
        this.deps.inventory.prepareReservation(tx, eventId, quantity),
        this.deps.deletions.assertNotClosingIn(tx, userId),
      ]);
      const now = this.deps.clock.now();
      // A re-run after a commit that landed finds its own entry: that is the answer.
      if (activeId === entryId) return await this.deps.entries.getIn(tx, entryId);
      assertBookable(event, quantity, now);
      if (activeId !== undefined) {
        throw new ConflictError('already-waiting', 'You already have an active entry on this waitlist.');
      }
      if (prepared !== undefined && !(await keptForWaitlistIn(tx, this.deps.inventory, gate, quantity))) {
        throw new ConflictError('tickets-available', 'Tickets are on sale: book them instead.');
      }
      const created: WaitlistEntry = {
        id: entryId,
        eventId,
        userId,
        quantity,
        status: 'waiting',
        seq: gate.nextSeq,
        createdAt: now,
        updatedAt: now,
      };
      this.deps.entries.create(tx, created);
      this.deps.entries.setActive(tx, eventId, userId, entryId);
      this.deps.entries.writeGate(tx, gateWith(gate, quantity, 1));
      return created;
    });
    if (entry === undefined) throw new Error(`waitlist entry ${entryId} vanished after it was committed`);
    logger.info('waitlist.joined', { eventId, entryId, quantity });
    return { entry: toEntryResponse(entry, await this.deps.entries.positionOf(entry)) };
  }

  /** The user's entries of the last 90 days, newest first; waiting ones with their position. */
  async mine(userId: string): Promise<{ entries: WaitlistEntryResponse[] }> {
    const since = new Date(this.deps.clock.now().getTime() - MY_WAITLIST_DAYS * 86_400_000);
    const entries = await this.deps.entries.ofUserSince(userId, since);
    const positions = await Promise.all(
      entries.map((entry) => (entry.status === 'waiting' ? this.deps.entries.positionOf(entry) : undefined)),
    );
    return { entries: entries.map((entry, index) => toEntryResponse(entry, positions[index])) };
  }

  /**
   * The user leaves a waitlist they wait on; an offered entry is declined by cancelling its booking. The
   * request's id is stored with the change, so that a re-run of the transaction after a commit that landed
   * answers with it instead of refusing an entry no longer waiting.
   */
  async leave(userId: string, entryId: string): Promise<{ entry: WaitlistEntryResponse }> {
    const leaveRequestId = randomUUID();
    const left = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const entry = await this.deps.entries.getIn(tx, entryId);
      if (entry === undefined || entry.userId !== userId) throw entryNotFound();
      if (entry.leaveRequestId === leaveRequestId) return entry;
      if (entry.status !== 'waiting') {
        throw new ConflictError(
          'invalid-state',
          entry.status === 'offered'
            ? 'This entry has an offer: cancel its booking to decline it.'
            : `Only a waiting entry can be left; this one is ${entry.status}.`,
        );
      }
      const gate = await this.deps.entries.gateIn(tx, entry.eventId);
      this.deps.entries.writeGate(tx, this.endWaiting(tx, entry, gate, 'left', { leaveRequestId }));
      return { ...entry, status: 'left' as const, updatedAt: this.deps.clock.now() };
    });
    return { entry: toEntryResponse(left, undefined) };
  }

  /**
   * Cancels every waiting or offered entry of the event (event cancellation calls it). Idempotent: a second
   * call finds nothing active. Works in pages of one transaction each. Offered entries' bookings are the
   * caller's to cancel. Returns how many entries it cancelled.
   */
  async cancelAllForEvent(eventId: string): Promise<number> {
    let cancelled = 0;
    for (;;) {
      const page = await this.deps.entries.activeOfEvent(eventId, WAITLIST_PAGE);
      if (page.length === 0) return cancelled;
      cancelled += await this.cancelEntries(
        eventId,
        page.map((entry) => entry.id),
      );
    }
  }

  /** Every entry of the user, newest first (account export). */
  async listByUser(userId: string): Promise<WaitlistEntryResponse[]> {
    return (await this.deps.entries.ofUser(userId)).map((entry) => toEntryResponse(entry, undefined));
  }

  /** Cancels the user's waiting and offered entries (account deletion). Idempotent. */
  async cancelAllForUser(userId: string): Promise<number> {
    const active = await this.deps.entries.activeOfUser(userId);
    const byEvent = new Map<string, string[]>();
    for (const entry of active) byEvent.set(entry.eventId, [...(byEvent.get(entry.eventId) ?? []), entry.id]);
    let cancelled = 0;
    for (const [eventId, ids] of byEvent) cancelled += await this.cancelEntries(eventId, ids);
    return cancelled;
  }

  /** Users with a waiting or offered entry of the event: an audience of `event.updated` notifications. */
  async audienceOf(eventId: string): Promise<string[]> {
    const users = new Set<string>();
    let last: number | undefined;
    for (;;) {
      const page = await this.deps.entries.activeOfEvent(eventId, WAITLIST_PAGE, last);
      page.forEach((entry) => users.add(entry.userId));
      if (page.length < WAITLIST_PAGE) return [...users];
      last = page.at(-1)?.seq;
    }
  }

  /** Expires the event's waiting entries (its start has come). Returns how many it expired. */
  async expireWaiting(eventId: string): Promise<number> {
    let expired = 0;
    for (;;) {
      const page = await this.deps.entries.waitingOfEvent(eventId, WAITLIST_PAGE);
      if (page.length === 0) return expired;
      expired += await runTransactionWithRetry(this.deps.db, async (tx) => {
        const [gate, entries] = await Promise.all([
          this.deps.entries.gateIn(tx, eventId),
          this.deps.entries.getAllIn(
            tx,
            page.map((entry) => entry.id),
          ),
        ]);
        let current = gate;
        const waiting = entries.filter((entry) => entry.status === 'waiting');
        for (const entry of waiting) current = this.endWaiting(tx, entry, current, 'expired');
        this.deps.entries.writeGate(tx, current);
        return waiting.length;
      });
    }
  }

  private async cancelEntries(eventId: string, ids: readonly string[]): Promise<number> {
    return runTransactionWithRetry(this.deps.db, async (tx) => {
      const [gate, entries] = await Promise.all([
        this.deps.entries.gateIn(tx, eventId),
        this.deps.entries.getAllIn(tx, ids),
      ]);
      const now = this.deps.clock.now();
      let current = gate;
      const active = entries.filter((entry) => ACTIVE_WAITLIST_STATUSES.includes(entry.status));
      for (const entry of active) {
        if (entry.status === 'waiting') {
          current = this.endWaiting(tx, entry, current, 'cancelled');
        } else {
          this.deps.entries.changeStatus(tx, entry.id, 'cancelled', now);
          this.deps.entries.clearActive(tx, entry.eventId, entry.userId);
        }
      }
      if (current !== gate) this.deps.entries.writeGate(tx, current);
      return active.length;
    });
  }

  /**
   * The writes that end a waiting entry (its status, its active marker); returns the gate without it, for
   * the caller to write once.
   */
  private endWaiting(
    tx: Transaction,
    entry: WaitlistEntry,
    gate: WaitlistGate,
    status: 'left' | 'expired' | 'cancelled',
    recorded: Pick<WaitlistEntry, 'leaveRequestId'> = {},
  ): WaitlistGate {
    this.deps.entries.changeStatus(tx, entry.id, status, this.deps.clock.now(), recorded);
    this.deps.entries.clearActive(tx, entry.eventId, entry.userId);
    return gateWith(gate, entry.quantity, -1);
  }
}
