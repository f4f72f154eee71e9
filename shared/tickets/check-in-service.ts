import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { BookingRepository } from '../bookings/booking-repository';
import { settle, settleWithConcurrency } from '../async/bounded-concurrency';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-errors';
import type { EventRepository } from '../events/event-repository';
import { logger } from '../logging/logger';
import type { User } from '../users/user';
import type { UserRepository } from '../users/user-repository';
import { decideOfflineScan, decideOnlineScan, type ScanDecision } from './check-in-rules';
import type { CheckInManifest, CheckInResponse, SyncCheckInsResponse } from './check-in-response-schemas';
import type { CheckInBody, CheckInManifestQuery, SyncCheckInsBody } from './check-in-schemas';
import type { CheckInScanLog, OfflineScan, RecordedScan } from './check-in-scan-log';
import { codeHash, visibleTicketState, type TicketRecord } from './ticket';
import type { TicketRepository } from './ticket-repository';
import { isQr, type TicketVerifier } from './ticket-signing';

/** Who scans: an admin or door staff member of one company. */
export interface DoorCaller {
  readonly uid: string;
  readonly companyId: string;
}

/** The collaborators of {@link CheckInService}. */
export interface CheckInDependencies {
  readonly db: Firestore;
  readonly tickets: TicketRepository;
  readonly bookings: BookingRepository;
  readonly events: EventRepository;
  readonly users: UserRepository;
  readonly scans: CheckInScanLog;
  readonly verifier: TicketVerifier;
  readonly clock: Clock;
}

/** How far ahead of the server's clock an offline device's clock may run before its scans are refused. */
export const MAX_DEVICE_CLOCK_AHEAD_MS = 5 * 60_000;

/** Scans of one sync applied at once: enough to hide Firestore's latency, few enough to stay polite. */
const SYNC_CONCURRENCY = 16;

/** A scan applied to a ticket: what was decided and about which ticket. */
type ScanEffect =
  | { readonly outcome: 'unknown' }
  | (ScanDecision & { readonly ticket: TicketRecord; readonly holderId: string });

function ticketNotFound(): NotFoundError {
  // Unknown, another event's, another company's and forged codes all read the same.
  return new NotFoundError('No ticket of this event has this code.');
}

/**
 * Checks tickets in at the door, online (`checkIn`) and offline (`checkInManifest`, `syncCheckIns`). Every
 * scan is one transaction on the ticket's record, `tickets/{codeHash}`, which also reads the booking: two
 * doors scanning one ticket serialize on that record and exactly one admits it, and a ticket whose
 * booking left `confirmed` is void even if its record was not updated (docs/check-in.md).
 */
export class CheckInService {
  constructor(private readonly deps: CheckInDependencies) {}

  /**
   * Admits the ticket with this code or QR string at the caller's event.
   *
   * @throws NotFoundError for unknown, foreign and forged codes; ConflictError `already-checked-in`
   * (with `checkedInAt`) or `ticket-void`
   */
  async checkIn(caller: DoorCaller, body: CheckInBody): Promise<CheckInResponse> {
    const hash = await this.recordHash(body.eventId, body.code);
    if (hash === undefined) throw ticketNotFound();
    let holder: Promise<PromiseSettledResult<User | undefined>> | undefined;
    const effect = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const applied = await this.applyIn(tx, caller, body.eventId, hash, (state, record) =>
        decideOnlineScan(state, this.deps.clock.now(), record.refundHeldUntil),
      );
      // The holder's name is read while the check-in commits, not after; only an admitted scan shows it.
      holder =
        applied.outcome === 'checked_in' ? settle(this.deps.users.findUser(applied.holderId)) : undefined;
      return applied;
    });
    if (effect.outcome === 'unknown') throw ticketNotFound();
    if (effect.outcome === 'void')
      throw new ConflictError('ticket-void', 'This ticket is void: its booking was cancelled or refunded.');
    const checkedInAt = effect.checkedInAt.toISOString();
    if (effect.outcome === 'already_checked_in') {
      throw new ConflictError('already-checked-in', `This ticket was checked in at ${checkedInAt}.`, {
        checkedInAt,
      });
    }
    logger.info('ticket checked in', {
      ticketId: effect.ticket.id,
      bookingId: effect.ticket.bookingId,
      eventId: body.eventId,
      by: caller.uid,
    });
    const found = await (holder ?? settle(this.deps.users.findUser(effect.holderId)));
    if (found.status === 'rejected') throw found.reason;
    return {
      ticket: {
        id: effect.ticket.id,
        bookingId: effect.ticket.bookingId,
        eventId: effect.ticket.eventId,
        status: 'checked_in',
        checkedInAt,
      },
      holder: { name: found.value?.name ?? null },
    };
  }

  /**
   * One page of the event's tickets for an offline device, ordered by ticket id; with `since`, only those
   * changed after it. `generatedAt` is taken before reading, so a change committed while the page is read
   * is listed again next time rather than never.
   *
   * @throws NotFoundError when the event is unknown or another company's
   */
  async manifest(caller: DoorCaller, query: CheckInManifestQuery): Promise<CheckInManifest> {
    await this.assertOwnEvent(caller, query.eventId);
    const generatedAt = this.deps.clock.now();
    const page = await this.deps.tickets.pageOfEvent(query.eventId, {
      limit: query.limit,
      afterId: query.cursor,
      changedAfter: query.since,
    });
    const last = page.records.at(-1);
    return {
      tickets: page.records.map((record) => ({
        id: record.id,
        codeHash: record.codeHash,
        status: record.status,
        ...(record.checkedInAt === undefined ? {} : { checkedInAt: record.checkedInAt.toISOString() }),
      })),
      nextCursor: page.hasMore && last !== undefined ? last.id : null,
      generatedAt: generatedAt.toISOString(),
    };
  }

  /**
   * Applies scans a device made offline, each once: a scan sent again gets the outcome it got first. A
   * ticket's check-in time is its earliest scan, whichever device syncs first.
   *
   * @throws NotFoundError when the event is unknown or another company's; ValidationError for a scan
   * dated in the future (nothing is applied then)
   */
  async sync(caller: DoorCaller, body: SyncCheckInsBody): Promise<SyncCheckInsResponse> {
    const latest = this.deps.clock.now().getTime() + MAX_DEVICE_CLOCK_AHEAD_MS;
    const future = body.scans.flatMap((scan, index) =>
      scan.scannedAt.getTime() > latest
        ? [{ path: `scans.${index}.scannedAt`, message: 'Lies in the future: check the device clock.' }]
        : [],
    );
    if (future.length > 0) throw new ValidationError('The request body is invalid.', future);
    await this.assertOwnEvent(caller, body.eventId);
    const settled = await settleWithConcurrency(body.scans, SYNC_CONCURRENCY, (scan) =>
      this.syncScan(caller, body.eventId, {
        deviceId: body.deviceId,
        code: scan.code,
        scannedAt: scan.scannedAt,
      }),
    );
    return {
      results: body.scans.map((scan, index) => {
        const result = settled[index];
        if (result === undefined) throw new Error('A synced scan has no outcome.');
        // Every applied scan is recorded, so a batch that failed part-way is simply sent again.
        if (result.status === 'rejected') throw result.reason;
        const { outcome, ticketId, checkedInAt } = result.value;
        return {
          code: scan.code,
          outcome,
          ...(ticketId === undefined ? {} : { ticketId }),
          ...(checkedInAt === undefined ? {} : { checkedInAt: checkedInAt.toISOString() }),
        };
      }),
    };
  }

  private async syncScan(caller: DoorCaller, eventId: string, scan: OfflineScan): Promise<RecordedScan> {
    const hash = await this.recordHash(eventId, scan.code);
    return runTransactionWithRetry(this.deps.db, async (tx) => {
      const recorded = await this.deps.scans.getIn(tx, eventId, scan);
      if (recorded !== undefined) return recorded;
      const effect =
        hash === undefined
          ? ({ outcome: 'unknown' } as const)
          : await this.applyIn(tx, caller, eventId, hash, (state) =>
              decideOfflineScan(state, scan.scannedAt),
            );
      const result: RecordedScan =
        effect.outcome === 'unknown'
          ? { outcome: 'unknown' }
          : {
              outcome: effect.outcome,
              ticketId: effect.ticket.id,
              ...(effect.outcome === 'void' ? {} : { checkedInAt: effect.checkedInAt }),
            };
      this.deps.scans.record(tx, eventId, scan, result);
      return result;
    });
  }

  /**
   * Reads the ticket and its booking in `tx`, decides, and records a check-in the decision calls for. A
   * ticket of another event or company is `unknown`, exactly like a code nobody issued.
   */
  private async applyIn(
    tx: Transaction,
    caller: DoorCaller,
    eventId: string,
    hash: string,
    decide: (state: ReturnType<typeof visibleTicketState>, record: TicketRecord) => ScanDecision,
  ): Promise<ScanEffect> {
    const ticket = await this.deps.tickets.getIn(tx, hash);
    if (ticket === undefined || ticket.eventId !== eventId || ticket.companyId !== caller.companyId) {
      return { outcome: 'unknown' };
    }
    const booking = await this.deps.bookings.getIn(tx, ticket.bookingId);
    if (booking === undefined) return { outcome: 'unknown' };
    const decision = decide(visibleTicketState(booking.status, ticket), ticket);
    if (decision.outcome === 'checked_in') this.deps.tickets.markCheckedIn(tx, hash, decision.checkedInAt);
    return { ...decision, ticket, holderId: booking.userId };
  }

  /**
   * The record id of a scanned code: the hash of a plain code, or, for a QR string whose signature holds
   * and which names this event, its ticket's record found by ticket id. Undefined for anything forged.
   */
  private async recordHash(eventId: string, code: string): Promise<string | undefined> {
    if (!isQr(code)) return codeHash(code);
    const payload = this.deps.verifier.verify(code);
    if (payload === undefined || payload.eid !== eventId) return undefined;
    return this.deps.tickets.hashOfTicket(payload.tid);
  }

  private async assertOwnEvent(caller: DoorCaller, eventId: string): Promise<void> {
    const event = await this.deps.events.find(eventId);
    if (event === undefined || event.companyId !== caller.companyId)
      throw new NotFoundError('No such event.');
  }
}
