import type * as z from 'zod';
import type { TicketState as InventoryState } from '../inventory/inventory-store';
import type { ShardTake } from '../inventory/ticket-reservation';
import { codeHash, visibleTicketState, type TicketState } from '../tickets/ticket';
import type { bookingSchema } from './booking-response-schemas';

/** What a booking id looks like: a Firestore auto-id. Anything else cannot name a booking. */
export const BOOKING_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/** Every state of the contract's booking lifecycle. */
export const BOOKING_STATUSES = [
  'held',
  'confirmed',
  'expired',
  'cancelled',
  'refund_pending',
  'refunded',
  'refund_failed',
] as const;

/** A state of a booking. */
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * Where a booking's tickets are on the shards it took them from: held by a hold (lapsed or not, until the
 * release returns them), sold once paid and until the refund completes; none once it ended.
 */
export function ticketStateOf(status: BookingStatus): InventoryState | undefined {
  switch (status) {
    case 'held':
      return 'held';
    case 'confirmed':
    case 'refund_pending':
      return 'sold';
    default:
      return undefined;
  }
}

/** A ticket issued for a confirmed booking. */
export interface IssuedTicket {
  readonly id: string;
  readonly code: string;
  /** The signed QR string; absent only on tickets issued before signing, until the backfill signs them. */
  readonly qr?: string;
}

/** A booking as stored in `bookings/{id}`. */
export interface Booking {
  readonly id: string;
  readonly eventId: string;
  readonly userId: string;
  /** The event's company, so that its admins may read the booking without another read. */
  readonly companyId: string;
  readonly quantity: number;
  readonly status: BookingStatus;
  /** Fixed when the hold is created: what is charged, ticket by ticket. */
  readonly unitPrices: readonly number[];
  readonly total: number;
  readonly currency: string;
  /** The shards the tickets came from, so that they return to the same ones. */
  readonly allocation: readonly ShardTake[];
  readonly expiresAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly tickets?: readonly IssuedTicket[];
  /** What Stripe has refunded of the payment so far, when anything was (minor units). */
  readonly refundedAmount?: number;
  /**
   * The `cancelBooking` request that cancelled the hold: a re-run of that request's transaction (the SDK
   * retries after a commit that may have landed) recognises its own cancellation by it.
   */
  readonly cancelRequestId?: string;
  /** The waitlist entry this booking is the offer of; its outcome settles the entry. */
  readonly waitlistEntryId?: string;
}

/** The `booking` object of the HTTP contract, as its schema documents it. */
export type BookingResponse = z.infer<typeof bookingSchema>;

/** A hold whose payment window has closed, whether or not the release job has run yet. */
export function isLapsedHold(booking: Pick<Booking, 'status' | 'expiresAt'>, now: Date): boolean {
  return booking.status === 'held' && booking.expiresAt.getTime() <= now.getTime();
}

/** The status clients see: a lapsed hold is `expired` at once, even before its tickets are released. */
export function visibleStatus(booking: Pick<Booking, 'status' | 'expiresAt'>, now: Date): BookingStatus {
  return isLapsedHold(booking, now) ? 'expired' : booking.status;
}

/** Ticket door states by code hash, as `TicketRepository.statesOf` reads them. */
export type TicketStates = ReadonlyMap<string, TicketState>;

function toTicketResponses(booking: Booking, states: TicketStates): BookingResponse['tickets'] {
  return booking.tickets?.map(({ id, code, qr }) => {
    const { status, checkedInAt } = visibleTicketState(booking.status, states.get(codeHash(code)));
    return {
      id,
      code,
      ...(qr === undefined ? {} : { qr }),
      status,
      ...(checkedInAt === undefined ? {} : { checkedInAt: checkedInAt.toISOString() }),
    };
  });
}

/**
 * Maps a stored booking to the contract's response shape as of `now`. `ticketStates` are its tickets'
 * door records; a ticket without one is `valid` (or `void` with its booking).
 */
export function toBookingResponse(
  booking: Booking,
  now: Date,
  ticketStates: TicketStates = new Map(),
): BookingResponse {
  return {
    id: booking.id,
    eventId: booking.eventId,
    userId: booking.userId,
    quantity: booking.quantity,
    status: visibleStatus(booking, now),
    unitPrices: [...booking.unitPrices],
    total: booking.total,
    currency: booking.currency,
    expiresAt: booking.expiresAt.toISOString(),
    createdAt: booking.createdAt.toISOString(),
    ...(booking.tickets === undefined ? {} : { tickets: toTicketResponses(booking, ticketStates) }),
    ...(booking.refundedAmount === undefined ? {} : { refundedAmount: booking.refundedAmount }),
  };
}
