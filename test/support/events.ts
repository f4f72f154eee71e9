import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import type { Event, operations } from '@event-manager/client';
import { FirestoreInventoryStore } from '../../shared/inventory/firestore-inventory-store';
import { apiClient, expectData } from './api-client';
import { adminFirestore } from './firestore-admin';
import type { CompanyAdmin } from './roles';

/** The `event` object of the contract, as the functions answer it. */
export type EventJson = Event;

/** The body of `createEvent`. */
export type CreateEventBody = operations['createEvent']['requestBody']['content']['application/json'];

const DAY_MS = 24 * 60 * 60 * 1000;

/** A word no other test uses, to find exactly this test's events by text. */
export function uniqueWord(): string {
  return `w${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** A valid `createEvent` body starting in 30 days; `overrides` replace (or, as undefined, drop) fields. */
export function eventBody(overrides: Partial<CreateEventBody> = {}): CreateEventBody {
  return {
    name: 'Jazz Night',
    description: 'Live jazz with the house band.',
    startsAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    venue: 'Blue Note',
    location: { lat: 48.1374, lng: 11.5755 },
    totalTickets: 100,
    currency: 'EUR',
    basePrice: 2500,
    surgePrice: 4000,
    surgeThreshold: 80,
    ...overrides,
  };
}

/** Creates an event through `createEvent` as `admin` and returns it; fails the test if that is refused. */
export async function createEventAs(
  admin: CompanyAdmin,
  overrides: Partial<CreateEventBody> = {},
): Promise<EventJson> {
  return expectData(await apiClient(admin.idToken).POST('/createEvent', { body: eventBody(overrides) }), 201)
    .event;
}

/**
 * Holds `quantity` tickets of the event through the inventory's own reservation path, as a booking does,
 * so that tests of events can arrange held tickets without going through bookings.
 */
export async function holdTickets(eventId: string, quantity: number): Promise<void> {
  const inventory = new FirestoreInventoryStore(adminFirestore());
  await adminFirestore().runTransaction(async (tx) => {
    const prepared = await inventory.prepareReservation(tx, eventId, quantity);
    if (prepared === undefined) throw new Error(`Event ${eventId} has fewer than ${quantity} tickets left`);
    prepared.apply();
  });
}

/** Moves the event's start into the past directly in Firestore: the API never allows that. */
export async function moveStartToPast(eventId: string, startsAt: Date): Promise<void> {
  await adminFirestore()
    .collection('events')
    .doc(eventId)
    .update({ startsAt: Timestamp.fromDate(startsAt) });
}
