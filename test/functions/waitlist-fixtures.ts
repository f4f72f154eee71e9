import type { WaitlistEntry } from '@event-manager/client';
import { apiClient, expectData } from '../support/api-client';
import { createEventAs, type EventJson } from '../support/events';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type CompanyAdmin, type RoleUser } from '../support/roles';
import { bookOrFail, type BookingJson } from './booking-fixtures';

export type EntryJson = WaitlistEntry;

/** `joinWaitlist` as `user`, the answer as the typed client returns it. */
export function join(user: RoleUser, eventId: string, quantity: number) {
  return apiClient(user.idToken).POST('/joinWaitlist', { body: { eventId, quantity } });
}

/** Joins or fails the test. */
export async function joinOrFail(user: RoleUser, eventId: string, quantity: number): Promise<EntryJson> {
  return expectData(await join(user, eventId, quantity), 201).entry;
}

/** The caller's entries as `myWaitlist` answers. */
export async function myEntries(user: RoleUser): Promise<EntryJson[]> {
  return expectData(await apiClient(user.idToken).GET('/myWaitlist'), 200).entries;
}

/** The caller's entry with this id, as `myWaitlist` shows it now. */
export async function entryOf(user: RoleUser, entryId: string): Promise<EntryJson> {
  const entry = (await myEntries(user)).find((candidate) => candidate.id === entryId);
  if (entry === undefined) throw new Error(`entry ${entryId} is not in myWaitlist`);
  return entry;
}

/** A sold-out event: one buyer holds all of its `totalTickets` in bookings of `holdSizes`. */
export async function soldOutEvent(
  holdSizes: readonly number[],
  overrides: { holdMinutes?: number } = {},
): Promise<{ admin: CompanyAdmin; event: EventJson; holder: RoleUser; holds: BookingJson[] }> {
  const admin = await createCompanyAdmin();
  const totalTickets = holdSizes.reduce((sum, size) => sum + size, 0);
  const event = await createEventAs(admin, {
    totalTickets,
    surgeThreshold: totalTickets,
    maxTicketsPerBooking: totalTickets,
    ...overrides,
  });
  const holder = await createRegisteredUser();
  const holds: BookingJson[] = [];
  for (const size of holdSizes) holds.push(await bookOrFail(holder, event.id, size));
  return { admin, event, holder, holds };
}

/** Runs the minute's offer sweep (internal function) once. */
export function sweepOffers() {
  return callFunction<{ events: number; offers: number; expiredEntries: number }>('offerWaitlistTickets', {
    method: 'POST',
  });
}
