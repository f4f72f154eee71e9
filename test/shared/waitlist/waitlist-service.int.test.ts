import { createBookingService } from '../../../shared/bookings/booking-services';
import { newHoldReleaseService } from '../../../shared/bookings/swept-booking-services';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import type { OutboxRecord } from '../../../shared/pubsub/outbox-repository';
import { WAITLIST_GATES_COLLECTION } from '../../../shared/waitlist/waitlist-repository';
import { createWaitlistService } from '../../../shared/waitlist/swept-waitlist-services';
import { createWaitlistOffers } from '../../../shared/waitlist/waitlist-services';
import { bookedOf } from '../../support/bookings';
import { storeEventOnSale } from '../../support/events-on-sale';
import { adminFirestore } from '../../support/firestore-admin';
import { leaveToSweeper } from '../../../shared/pubsub/outbox-relay';

/** The waitlist, offers and bookings of one simulated instance; relayed notifications are recorded. */
function instance() {
  const db = adminFirestore();
  const inventory = new FirestoreInventoryStore(db);
  const release = newHoldReleaseService(db, inventory, leaveToSweeper);
  const waitlist = createWaitlistService(db, inventory, release);
  const relayed: OutboxRecord[] = [];
  const offers = createWaitlistOffers(
    db,
    inventory,
    async (record) => {
      relayed.push(record);
    },
    waitlist,
  );
  return { db, inventory, waitlist, offers, relayed, bookings: createBookingService(db, inventory, release) };
}

/** A sold-out event whose one hold of `held` tickets belongs to `holder`; returns the event and the hold. */
async function soldOut(held: number): Promise<{ eventId: string; holdId: string; holder: string }> {
  const { db, inventory, bookings } = instance();
  const eventId = await storeEventOnSale(db, inventory, {
    totalTickets: held,
    surgeThreshold: held,
    basePrice: 1_000,
    surgePrice: 2_000,
    maxTicketsPerBooking: 4,
  });
  const holder = `holder-${eventId}`;
  const holdId = bookedOf(await bookings.book(holder, { eventId, quantity: held }, undefined)).id;
  return { eventId, holdId, holder };
}

describe('WaitlistService seams', () => {
  it('cancels every waiting and offered entry of an event, once, and tells its audience first', async () => {
    const { waitlist, offers, bookings, relayed, db } = instance();
    const { eventId, holdId, holder } = await soldOut(2);
    const users = ['a', 'b', 'c', 'd'].map((name) => `${name}-${eventId}`);
    const entries = [];
    for (const user of users) entries.push((await waitlist.join(user, { eventId, quantity: 1 })).entry);
    await waitlist.leave(users[3] ?? '', entries[3]?.id ?? '');
    await bookings.cancelBooking(holder, holdId);
    expect(await offers.offerFreeTickets(eventId)).toBe(2);
    expect(relayed.map((record) => JSON.parse(record.data).type)).toEqual([
      'waitlist.offered',
      'waitlist.offered',
    ]);

    expect((await waitlist.audienceOf(eventId)).sort()).toEqual(users.slice(0, 3).sort());
    expect(await waitlist.cancelAllForEvent(eventId)).toBe(3);
    expect(await waitlist.cancelAllForEvent(eventId)).toBe(0);

    const statuses = await Promise.all(
      users.map(async (user) => (await waitlist.listByUser(user)).map((entry) => entry.status)),
    );
    expect(statuses).toEqual([['cancelled'], ['cancelled'], ['cancelled'], ['left']]);
    expect(await waitlist.audienceOf(eventId)).toEqual([]);
    const gate = await db.collection(WAITLIST_GATES_COLLECTION).doc(eventId).get();
    expect(gate.get('waitingCount')).toBe(0);
  });

  it("cancels a user's active entries across events and keeps the others", async () => {
    const { waitlist } = instance();
    const first = await soldOut(1);
    const second = await soldOut(1);
    const user = `user-${first.eventId}`;
    await waitlist.join(user, { eventId: first.eventId, quantity: 1 });
    const left = (await waitlist.join(user, { eventId: second.eventId, quantity: 1 })).entry;
    await waitlist.leave(user, left.id);
    await waitlist.join(user, { eventId: second.eventId, quantity: 1 });

    expect(await waitlist.cancelAllForUser(user)).toBe(2);
    expect(await waitlist.cancelAllForUser(user)).toBe(0);

    expect((await waitlist.listByUser(user)).map((entry) => entry.status).sort()).toEqual([
      'cancelled',
      'cancelled',
      'left',
    ]);
  });

  it('never offers an entry twice nor oversells when offer runs race', async () => {
    const { waitlist, bookings } = instance();
    const { eventId, holdId, holder } = await soldOut(3);
    const users = Array.from({ length: 6 }, (_, index) => `u${index}-${eventId}`);
    for (const user of users) await waitlist.join(user, { eventId, quantity: 1 });
    await bookings.cancelBooking(holder, holdId);

    const made = await Promise.all(
      Array.from({ length: 4 }, () => instance().offers.offerFreeTickets(eventId)),
    );

    expect(made.reduce((sum, count) => sum + count, 0)).toBe(3);
    const entries = (await Promise.all(users.map((user) => waitlist.listByUser(user)))).flat();
    expect(entries.filter((entry) => entry.status === 'offered').map((entry) => entry.userId)).toEqual(
      users.slice(0, 3),
    );
    const offered = await adminFirestore().collection('bookings').where('eventId', '==', eventId).get();
    expect(offered.docs.filter((doc) => doc.get('status') === 'held')).toHaveLength(3);
    expect(new Set(offered.docs.map((doc) => doc.get('waitlistEntryId')).filter(Boolean)).size).toBe(3);
  });
});
