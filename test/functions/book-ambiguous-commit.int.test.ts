import type { CommitFault } from '../../local/firestore/faults';
import { fromShardSnapshot, InventoryPaths } from '../../shared/inventory/inventory-documents';
import { usedOf } from '../../shared/inventory/shard-layout';
import { apiClient, expectData } from '../support/api-client';
import { createEventAs } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { setCommitFaults } from '../support/firestore-faults';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import { availableTickets, book, bookOrFail } from './booking-fixtures';

async function bookingIdsOfEvent(eventId: string): Promise<string[]> {
  const snapshot = await adminFirestore().collection('bookings').where('eventId', '==', eventId).get();
  return snapshot.docs.map((document) => document.id);
}

async function ticketsTakenFromShards(eventId: string): Promise<number> {
  const shards = await new InventoryPaths(adminFirestore()).shards(eventId).get();
  return shards.docs.map(fromShardSnapshot).reduce((sum, shard) => sum + usedOf(shard), 0);
}

/*
 * The SDK re-runs a booking transaction whose Commit failed with UNAVAILABLE or DEADLINE_EXCEEDED, even
 * when that commit landed. The emulator fails exactly the booking's commit (the only commit that writes the
 * event's shards) after applying it; without an Idempotency-Key the request must still make one booking.
 */
describe('POST /book when the commit lands but the client sees an error', () => {
  afterEach(() => setCommitFaults([]));

  it.each(['UNAVAILABLE', 'DEADLINE_EXCEEDED'] as const)(
    'after %s, creates exactly one booking, takes exactly its tickets and answers 201 with it',
    async (code) => {
      const admin = await createCompanyAdmin();
      // The user books the most they may hold: a retry that counted its own hold would answer hold-limit.
      const event = await createEventAs(admin, {
        totalTickets: 10,
        surgeThreshold: 5,
        maxTicketsPerBooking: 3,
      });
      const user = await createRegisteredUser();
      const fault: CommitFault = {
        code,
        when: 'after-apply',
        documentPrefix: `events/${event.id}/inventoryShards/`,
        count: 1,
      };
      await setCommitFaults([fault]);

      const { booking } = expectData(await book(user, { eventId: event.id, quantity: 3 }), 201);

      expect(await bookingIdsOfEvent(event.id)).toEqual([booking.id]);
      expect(booking).toMatchObject({ eventId: event.id, userId: user.uid, quantity: 3 });
      expect(await ticketsTakenFromShards(event.id)).toBe(3);
      const holds = await adminFirestore().collection('userEventHolds').doc(`${event.id}_${user.uid}`).get();
      expect(Object.keys(holds.get('holds') as object)).toEqual([booking.id]);
    },
  );
});

describe('POST /cancelBooking when the commit lands but the client sees an error', () => {
  afterEach(() => setCommitFaults([]));

  it.each(['UNAVAILABLE', 'DEADLINE_EXCEEDED'] as const)(
    'after %s, answers 200 with the cancelled booking and returns its tickets exactly once',
    async (code) => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 5 });
      const user = await createRegisteredUser();
      const booking = await bookOrFail(user, event.id, 3);
      await setCommitFaults([
        { code, when: 'after-apply', documentPrefix: `events/${event.id}/inventoryShards/`, count: 1 },
      ]);

      const answer = await apiClient(user.idToken).POST('/cancelBooking', {
        body: { bookingId: booking.id },
      });

      expect(expectData(answer, 200).booking).toMatchObject({ id: booking.id, status: 'cancelled' });
      expect(await ticketsTakenFromShards(event.id)).toBe(0);
      expect(await availableTickets(user, event.id)).toBe(10);
    },
  );
});
