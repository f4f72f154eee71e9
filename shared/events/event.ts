import type * as z from 'zod';
import type { Availability } from '../inventory/inventory-store';
import type { InventoryLayout } from '../inventory/shard-layout';
import { currentPrice } from './current-price';
import type { eventSchema } from './event-response-schemas';

/**
 * What an event id looks like: Firestore auto-ids are 20 letters and digits. Anything else cannot name an
 * event, and a `/` would address another document, so such ids are rejected before any read.
 */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/** A point on Earth in decimal degrees (WGS 84). */
export interface GeoLocation {
  readonly lat: number;
  readonly lng: number;
}

/** The fields an admin sets when creating an event and may change when updating it. */
export interface EventDetails {
  readonly name: string;
  /** Null when the event has none; an empty description is stored as null. */
  readonly description: string | null;
  readonly startsAt: Date;
  readonly venue: string;
  readonly location: GeoLocation;
  readonly totalTickets: number;
  /** ISO 4217 code in upper case. */
  readonly currency: string;
  /** Price of each of the first `surgeThreshold` tickets, in minor units. */
  readonly basePrice: number;
  /** Price of every later ticket, in minor units. */
  readonly surgePrice: number;
  readonly surgeThreshold: number;
  readonly holdMinutes: number;
  readonly maxTicketsPerBooking: number;
}

/** Whether an event still takes place; stored events written before cancellation existed are `scheduled`. */
export const EVENT_STATUSES = ['scheduled', 'cancelled'] as const;

/** The lifecycle state of an event. */
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** An event as stored in `events/{id}`. */
export interface StoredEvent extends EventDetails {
  /** Firestore auto-id: random, so writes never concentrate on one key range. */
  readonly id: string;
  readonly companyId: string;
  /** Starts at 1; every successful update adds one (optimistic concurrency). */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly status: EventStatus;
  /** Set together with `status: 'cancelled'`. */
  readonly cancelledAt?: Date;
  readonly cancellationReason?: string;
  /**
   * The id the last `updateEvent` request drew before its first attempt: a re-run of that request's
   * transaction (its commit landed, the SDK saw it fail) finds it and answers with the event as updated.
   */
  readonly updateRequestId?: string;
}

/** Whether the event was cancelled; its tickets never sell again. */
export function isCancelled(event: Pick<StoredEvent, 'status'>): boolean {
  return event.status === 'cancelled';
}

/** A change to some of an event's details; `description: null` removes the description. */
export type EventChanges = Partial<EventDetails>;

/** The `event` object of the HTTP contract, as its schema documents it. */
export type EventResponse = z.infer<typeof eventSchema>;

/** How the event's tickets split into price tiers, as the inventory sees them. */
export function layoutOf(details: EventDetails): InventoryLayout {
  return { totalTickets: details.totalTickets, surgeThreshold: details.surgeThreshold };
}

/** The availability of an event nobody has booked yet. */
export function untouchedAvailability(layout: InventoryLayout): Availability {
  return { availableTickets: layout.totalTickets, baseAvailable: layout.surgeThreshold };
}

/** The stored details with `changes` applied; fields absent from `changes` keep their value. */
export function withChanges(details: EventDetails, changes: EventChanges): EventDetails {
  const defined = Object.entries(changes).filter(([, value]) => value !== undefined);
  return { ...details, ...(Object.fromEntries(defined) as EventChanges) };
}

/** Maps a stored event and its current availability to the contract's response shape. */
export function toEventResponse(event: StoredEvent, availability: Availability): EventResponse {
  return {
    id: event.id,
    companyId: event.companyId,
    name: event.name,
    description: event.description,
    startsAt: event.startsAt.toISOString(),
    venue: event.venue,
    location: { lat: event.location.lat, lng: event.location.lng },
    totalTickets: event.totalTickets,
    // A cancelled event's released seats stay off sale, whatever its shards count.
    availableTickets: isCancelled(event) ? 0 : availability.availableTickets,
    currency: event.currency,
    basePrice: event.basePrice,
    surgePrice: event.surgePrice,
    surgeThreshold: event.surgeThreshold,
    currentPrice: currentPrice(event, availability),
    holdMinutes: event.holdMinutes,
    maxTicketsPerBooking: event.maxTicketsPerBooking,
    version: event.version,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
    status: event.status,
    ...(event.cancelledAt === undefined ? {} : { cancelledAt: event.cancelledAt.toISOString() }),
    ...(event.cancellationReason === undefined ? {} : { cancellationReason: event.cancellationReason }),
  };
}
