import { countsAfter } from './offer-rule';

/** Every state of a waitlist entry, as the contract lists them. */
export const WAITLIST_STATUSES = ['waiting', 'offered', 'converted', 'expired', 'cancelled', 'left'] as const;

/** A state of a waitlist entry. */
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

/** States in which an entry is the user's one active entry for the event. */
export const ACTIVE_WAITLIST_STATUSES: readonly WaitlistStatus[] = ['waiting', 'offered'];

/** How an offer ended: its booking was paid, expired unpaid, or was cancelled (the offer declined). */
export type OfferOutcome = 'converted' | 'expired' | 'cancelled';

/** What a waiting entry ids look like: a Firestore auto-id. */
export const WAITLIST_ENTRY_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/** How long `myWaitlist` looks back. */
export const MY_WAITLIST_DAYS = 90;

/** A waitlist entry as stored in `waitlistEntries/{entryId}`. */
export interface WaitlistEntry {
  readonly id: string;
  readonly eventId: string;
  readonly userId: string;
  readonly quantity: number;
  readonly status: WaitlistStatus;
  /** Join order within the event, drawn from the event's gate when joining: positions and offers follow it. */
  readonly seq: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The held booking of the offer, once offered. */
  readonly bookingId?: string;
  /** The `leaveWaitlist` request that ended it: a re-run of that request's transaction recognises it. */
  readonly leaveRequestId?: string;
}

/** The `entry` object of the contract; `position` only while waiting. */
export interface WaitlistEntryResponse {
  id: string;
  eventId: string;
  userId: string;
  quantity: number;
  status: WaitlistStatus;
  position?: number;
  bookingId?: string;
  createdAt: string;
}

/** Maps a stored entry to the contract's shape; `position` is given for waiting entries only. */
export function toEntryResponse(entry: WaitlistEntry, position: number | undefined): WaitlistEntryResponse {
  return {
    id: entry.id,
    eventId: entry.eventId,
    userId: entry.userId,
    quantity: entry.quantity,
    status: entry.status,
    ...(entry.status === 'waiting' && position !== undefined ? { position } : {}),
    ...(entry.bookingId === undefined ? {} : { bookingId: entry.bookingId }),
    createdAt: entry.createdAt.toISOString(),
  };
}

/**
 * The per-event gate document `waitlistGates/{eventId}`: how many entries wait, per quantity asked, and the
 * next join sequence number. `book` reads it in its transaction (one document), so that while a waiting
 * entry fits the free tickets nobody else takes them.
 */
export interface WaitlistGate {
  readonly eventId: string;
  readonly waiting: Readonly<Record<string, number>>;
  readonly waitingCount: number;
  readonly nextSeq: number;
}

/**
 * The gate after entries asking for `quantity` started waiting (`delta` > 0) or stopped (`delta` < 0); a
 * join also draws the next sequence number.
 */
export function gateWith(gate: WaitlistGate, quantity: number, delta: number): WaitlistGate {
  return {
    eventId: gate.eventId,
    waiting: countsAfter(gate.waiting, quantity, delta),
    waitingCount: Math.max(0, gate.waitingCount + delta),
    nextSeq: delta > 0 ? gate.nextSeq + delta : gate.nextSeq,
  };
}

/** The gate of an event nobody has joined the waitlist of. */
export function emptyGate(eventId: string): WaitlistGate {
  return { eventId, waiting: {}, waitingCount: 0, nextSeq: 1 };
}
