import type { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import { randomUUID } from 'node:crypto';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { coalescingReads } from '../firebase/coalesced-reads';
import type { StoredEvent } from '../events/event';
import type { EventRepository } from '../events/event-repository';
import type { Availability, TicketInventory } from '../inventory/inventory-store';
import { logDomainEvent } from '../logging/domain-events';
import { toBookingResponse, type Booking, type BookingResponse, type TicketStates } from './booking';
import { decodeBookingCursor, encodeBookingCursor } from './booking-cursor';
import { bookingEvent } from './booking-events';
import type { BookingRepository } from './booking-repository';
import type { TicketRepository } from '../tickets/ticket-repository';
import type { Booked, BookOutcome, CancelBookingOutcome, GetBookingOutcome } from './booking-outcomes';
import { bookability, bookingRefusal, cancellability, canRead, type BookingReader } from './booking-rules';
import type { BookBody, MyBookingsQuery } from './booking-schemas';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry, SDK_RETRIES_ONLY } from '../firebase/contention-retry';
import type { HoldReleaseService } from './hold-release-service';
import { holdLimitRefusal, liveHolds } from './hold-limit';
import {
  IDEMPOTENCY_KEY_LIFETIME_MS,
  idempotencyRecordId,
  rememberedAnswer,
  replayFor,
  requestHash,
  type KeyReplay,
} from './idempotency';
import type { IdempotencyStore } from './idempotency-store';
import { priceReservation } from './ticket-pricing';
import type { UserHoldRepository } from './user-hold-repository';
import { keptForWaitlistIn, type WaitlistGateReader } from '../waitlist/waitlist-gate';

/** A booking transaction's outcome; a hold carries the booking it made, for the domain event. */
type HoldOutcome = Exclude<BookOutcome, Booked> | (Booked & { readonly created: Booking });

/** A cancellation transaction's outcome; a cancellation carries the hold it ended, for the domain event. */
type CancelAttempt =
  | Exclude<CancelBookingOutcome, { readonly kind: 'cancelled' }>
  | (Extract<CancelBookingOutcome, { readonly kind: 'cancelled' }> & { readonly held: Booking });

/** The collaborators of {@link BookingService}. */
export interface BookingServiceDependencies {
  readonly db: Firestore;
  readonly events: EventRepository;
  readonly bookings: BookingRepository;
  readonly tickets: TicketRepository;
  readonly holds: UserHoldRepository;
  readonly idempotency: IdempotencyStore;
  readonly inventory: TicketInventory;
  readonly holdRelease: HoldReleaseService;
  /** The event's waitlist gate: while a waiting entry fits the free tickets, nobody else takes them. */
  readonly waitlist: WaitlistGateReader;
  readonly deletions: AccountDeletionRepository;
  readonly clock: Clock;
}

/** Lapsed holds of an event that `book` releases before it answers sold-out. */
const RELEASE_BEFORE_SOLD_OUT = 20;

/** What a booking reads without a transaction before it starts one. */
interface PreReads {
  readonly event: StoredEvent | undefined;
  readonly hint: Availability | undefined;
}

/** Whether the pre-reads would send a booking of `quantity` tickets on to its transaction. */
function goesAhead(reads: PreReads, quantity: number, now: Date): boolean {
  if (reads.hint === undefined || reads.hint.availableTickets < quantity) return false;
  return reads.event !== undefined && bookingRefusal(reads.event, quantity, now) === undefined;
}

interface IdempotencyContext {
  readonly recordId: string;
  readonly requestHash: string;
}

/**
 * One `book` request: its booking id is drawn once, before the first attempt, and every attempt (the SDK's
 * retries after UNAVAILABLE or DEADLINE_EXCEEDED, ours after lost conflicts, the one after releasing lapsed
 * holds) writes under it. A commit the client saw fail may have landed: the next attempt then finds the
 * booking and answers with it instead of reserving again (docs/inventory.md, Ambiguous commits).
 */
interface BookRequest {
  readonly userId: string;
  readonly body: BookBody;
  readonly bookingId: string;
  readonly idempotency: IdempotencyContext | undefined;
}

/** The outcome of the request that created `booking`. */
function created(booking: Booking, now: Date): Booked & { readonly created: Booking } {
  return { kind: 'booked', booking: toBookingResponse(booking, now), created: booking };
}

/**
 * Books tickets as timed holds and reads and cancels bookings. See docs/inventory.md for how a booking
 * takes tickets from the event's shards and why the price it fixes is exact.
 */
export class BookingService {
  /** Per event, the pre-reads in flight in this process. */
  private readonly preReadsInFlight = new Map<string, Promise<PreReads>>();

  constructor(private readonly deps: BookingServiceDependencies) {}

  /**
   * Holds `quantity` tickets of an event for the user until `now + holdMinutes`. The booking rules' refusals
   * are outcomes, not errors; a closing account, contention that outlasts the retries and infrastructure
   * faults are thrown.
   *
   * Lock-free reads come first: a replayed Idempotency-Key, an unknown or started event and a sold-out
   * on-sale are answered without a transaction, so a crowd hammering a sold-out event takes no locks from
   * the bookings and releases that still matter. Refusals are never stored under the key: they have no side
   * effect, so repeating the request later may rightly succeed.
   */
  async book(userId: string, body: BookBody, idempotencyKey: string | undefined): Promise<BookOutcome> {
    const idempotency =
      idempotencyKey === undefined
        ? undefined
        : { recordId: idempotencyRecordId(userId, idempotencyKey), requestHash: requestHash('book', body) };
    const request: BookRequest = { userId, body, bookingId: this.deps.bookings.newId(), idempotency };
    // While this process is selling the event and has just seen enough tickets, the event and availability
    // reads would only say "go ahead": the transaction checks all they would, so a hot on-sale skips them.
    const hot = this.deps.inventory.seemsAvailableHere(body.eventId, body.quantity);
    const [replay, preReads] = await Promise.all([
      this.replayOf(idempotency),
      hot ? undefined : this.preRead(body.eventId, body.quantity),
    ]);
    if (replay !== undefined) return replay;
    if (!hot) {
      const verdict = bookability(preReads?.event, body.quantity, this.deps.clock.now());
      if (verdict.kind !== 'bookable') return verdict;
    }
    const hint = preReads?.hint;
    const looksSoldOut = hint !== undefined && hint.availableTickets < body.quantity;
    const booked = looksSoldOut ? undefined : await this.hold(request);
    const outcome = booked ?? (await this.afterSoldOut(request));
    if (outcome.kind !== 'booked') return outcome;
    logDomainEvent(bookingEvent('booking.held', outcome.created));
    return { kind: 'booked', booking: outcome.booking };
  }

  /** The booking if the reader owns it or administers its event's company; not found otherwise. */
  async getBooking(reader: BookingReader, bookingId: string): Promise<GetBookingOutcome> {
    const booking = await this.deps.bookings.find(bookingId);
    if (booking === undefined || !canRead(reader, booking)) return { kind: 'booking-not-found' };
    const states = await this.ticketStatesOf([booking]);
    return { kind: 'found', booking: toBookingResponse(booking, this.deps.clock.now(), states) };
  }

  /** One page of the user's own bookings, newest first. */
  async myBookings(
    userId: string,
    query: MyBookingsQuery,
  ): Promise<{ bookings: BookingResponse[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeBookingCursor(query.cursor);
    const page = await this.deps.bookings.pageOfUser(userId, query.limit, after);
    const states = await this.ticketStatesOf(page.bookings);
    const now = this.deps.clock.now();
    const last = page.bookings.at(-1);
    return {
      bookings: page.bookings.map((booking) => toBookingResponse(booking, now, states)),
      nextCursor:
        page.hasMore && last !== undefined
          ? encodeBookingCursor({ createdAtMs: last.createdAt.getTime(), id: last.id })
          : null,
    };
  }

  /**
   * Cancels the user's own held booking, returning its tickets at once. The request's id is drawn before
   * the first attempt and stored with the cancellation, so an attempt that finds its own earlier commit
   * (landed, but reported as failed) answers with it instead of refusing a booking no longer held.
   */
  async cancelBooking(userId: string, bookingId: string): Promise<CancelBookingOutcome> {
    const cancelRequestId = randomUUID();
    const outcome = await runTransactionWithRetry(this.deps.db, async (tx): Promise<CancelAttempt> => {
      const stored = await this.deps.bookings.getIn(tx, bookingId);
      const now = this.deps.clock.now();
      if (stored?.userId === userId && stored.cancelRequestId === cancelRequestId) {
        return { kind: 'cancelled', held: stored, booking: toBookingResponse(stored, now) };
      }
      const verdict = cancellability(stored, userId, now);
      if (verdict.kind !== 'cancellable') return verdict;
      const { booking } = verdict;
      this.deps.holdRelease.endHold(tx, booking, 'cancelled', now, { cancelRequestId });
      return {
        kind: 'cancelled',
        held: booking,
        booking: toBookingResponse({ ...booking, status: 'cancelled', updatedAt: now }, now),
      };
    });
    if (outcome.kind !== 'cancelled') return outcome;
    logDomainEvent(bookingEvent('booking.cancelled', outcome.held));
    await this.deps.holdRelease.ticketsReturned([outcome.held.eventId]);
    return { kind: 'cancelled', booking: outcome.booking };
  }

  /** The door states of the tickets of confirmed bookings (any other booking's tickets are void anyway). */
  private ticketStatesOf(bookings: readonly Booking[]): Promise<TicketStates> {
    const codes = bookings
      .filter((booking) => booking.status === 'confirmed')
      .flatMap((booking) => (booking.tickets ?? []).map((ticket) => ticket.code));
    return this.deps.tickets.statesOf(codes);
  }

  /**
   * The shards said sold out: release the event's lapsed holds and, if that freed any, try once more. A
   * twin of this request (same Idempotency-Key) may have taken the last tickets: it is replayed instead.
   */
  private async afterSoldOut(request: BookRequest): Promise<HoldOutcome> {
    const released = await this.deps.holdRelease.releaseLapsedHoldsOfEvent(
      request.body.eventId,
      RELEASE_BEFORE_SOLD_OUT,
    );
    const booked = released > 0 ? await this.hold(request) : undefined;
    if (booked !== undefined) return booked;
    return (await this.replayOf(request.idempotency)) ?? { kind: 'sold-out' };
  }

  /**
   * The event and its availability. A cold instance meets a crowd with many bookings at once: they join the
   * reads already in flight for the event when those say "go ahead", which the transaction checks anyway
   * (as a hot instance's bookings do without any read). Any other answer may predate the request, so the
   * booking then reads for itself.
   */
  private async preRead(eventId: string, quantity: number): Promise<PreReads> {
    const inFlight = this.preReadsInFlight.get(eventId);
    if (inFlight !== undefined) {
      const joined = await inFlight.catch(() => undefined);
      if (joined !== undefined && goesAhead(joined, quantity, this.deps.clock.now())) return joined;
    }
    const own = Promise.all([
      this.deps.events.find(eventId),
      this.deps.inventory.availability([eventId]),
    ]).then(([event, availability]) => ({ event, hint: availability.get(eventId) }));
    this.preReadsInFlight.set(eventId, own);
    const forget = (): void => {
      if (this.preReadsInFlight.get(eventId) === own) this.preReadsInFlight.delete(eventId);
    };
    own.then(forget, forget);
    return own;
  }

  /** The remembered answer for the key, read without a transaction (records never change). */
  private async replayOf(idempotency: IdempotencyContext | undefined): Promise<KeyReplay | undefined> {
    if (idempotency === undefined) return undefined;
    const record = await this.deps.idempotency.find(idempotency.recordId);
    return replayFor(record, idempotency.requestHash, this.deps.clock.now());
  }

  /**
   * One booking transaction, retried by the SDK on contention (each attempt reads another shard first);
   * undefined when the event has too few tickets left.
   */
  private hold(request: BookRequest): Promise<HoldOutcome | undefined> {
    return runTransactionWithRetry(this.deps.db, (tx) => this.holdIn(tx, request), SDK_RETRIES_ONLY);
  }

  private async holdIn(tx: Transaction, request: BookRequest): Promise<HoldOutcome | undefined> {
    const { userId, body, bookingId, idempotency } = request;
    const { eventId, quantity } = body;
    // One request carries the reservation's first read (which starts the transaction) and all the others.
    const reads = coalescingReads(tx);
    const [prepared, remembered, storedEvent, holds, ownBooking, gate] = await Promise.all([
      this.deps.inventory.prepareReservation(reads, eventId, quantity),
      idempotency === undefined ? undefined : this.deps.idempotency.getIn(reads, idempotency.recordId),
      this.deps.events.getIn(reads, eventId),
      this.deps.holds.getIn(reads, userId, eventId),
      this.deps.bookings.getIn(reads, bookingId),
      this.deps.waitlist.gateIn(reads, eventId),
      this.deps.deletions.assertNotClosingIn(reads, userId),
    ]);
    const now = this.deps.clock.now();
    // An earlier attempt of this request committed although its caller saw an error: that is the answer.
    if (ownBooking !== undefined) return created(ownBooking, now);
    const replay = idempotency && replayFor(remembered, idempotency.requestHash, now);
    if (replay !== undefined) return replay;
    const verdict = bookability(storedEvent, quantity, now);
    if (verdict.kind !== 'bookable') return verdict;
    const { event } = verdict;
    const overLimit = holdLimitRefusal(holds, now, quantity, event.maxTicketsPerBooking);
    if (overLimit !== undefined) return overLimit;
    if (prepared === undefined) return undefined;
    // Returned tickets go to the waitlist first: to anyone else the event is sold out meanwhile.
    if (await keptForWaitlistIn(reads, this.deps.inventory, gate, quantity)) return undefined;

    const booking: Booking = {
      id: bookingId,
      eventId,
      userId,
      companyId: event.companyId,
      quantity,
      status: 'held',
      ...priceReservation(prepared.reservation, event),
      allocation: prepared.reservation.takes,
      expiresAt: new Date(now.getTime() + event.holdMinutes * 60_000),
      createdAt: now,
      updatedAt: now,
    };
    const outcome = created(booking, now);
    prepared.apply();
    this.deps.bookings.create(tx, booking);
    this.deps.holds.replace(tx, userId, eventId, {
      ...liveHolds(holds, now),
      [booking.id]: { quantity, expiresAt: booking.expiresAt },
    });
    if (idempotency !== undefined) {
      this.deps.idempotency.save(
        tx,
        idempotency.recordId,
        {
          userId,
          requestHash: idempotency.requestHash,
          response: rememberedAnswer(outcome.booking),
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_LIFETIME_MS),
        },
        now,
      );
    }
    return outcome;
  }
}
