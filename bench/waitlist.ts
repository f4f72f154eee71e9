import { cpus, loadavg } from 'node:os';
import { initializeApp } from 'firebase-admin/app';
import { getFirestore, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { createBookingService } from '../shared/bookings/booking-services';
import { newHoldReleaseService } from '../shared/bookings/swept-booking-services';
import { leaveToSweeper } from '../shared/pubsub/outbox-relay';
import type { WaitlistHooks } from '../shared/waitlist/waitlist-hooks';
import { FirestoreInventoryStore } from '../shared/inventory/firestore-inventory-store';
import {
  WAITLIST_ENTRIES_COLLECTION,
  WAITLIST_GATES_COLLECTION,
  WAITLIST_MEMBERS_COLLECTION,
} from '../shared/waitlist/waitlist-repository';
import { createWaitlistService } from '../shared/waitlist/swept-waitlist-services';
import { createWaitlistOffers } from '../shared/waitlist/waitlist-services';
import { storeEventOnSale } from '../test/support/events-on-sale';
import { startEmulatorProcess } from './firestore-emulator-process';
import { FIRESTORE_COMMIT_LATENCY_MS, percentile, storedSale } from './flash-sale-run';

/**
 * `npm run bench:waitlist`: a sold-out event with 2,000 waiting entries; 500 tickets return in bursts (held
 * bookings cancelled, 50 every second) while 200 outsiders keep calling `book`. Runs the production
 * services in this process against the Firestore emulator in its own process, with the commit latency of
 * `bench:flash`. Prints offers made per second, the time from a ticket's return (the cancelled booking's
 * commit time) to its offer (the offer booking's creation), p50/p99, matching returned and offered tickets
 * first in first out, tickets that went to outsiders (must be 0) and oversold tickets (must be 0).
 */

const PROJECT_ID = 'demo-waitlist-bench';
const WAITING = 2_000;
const RETURNING = 500;
const BURST = 50;
const BURST_EVERY_MS = 1_000;
const OUTSIDERS = 200;
/** Tickets not returned: held by one buyer in bookings of 4. */
const KEPT = 500;
const TOTAL = RETURNING + KEPT;

/** Seeds the waiting entries, their active markers and the event's gate directly (the join path is tested). */
async function seedWaitlist(db: Firestore, eventId: string): Promise<void> {
  const now = Date.now();
  const waiting: Record<string, number> = {};
  for (let first = 0; first < WAITING; first += 400) {
    const batch = db.batch();
    for (let index = first; index < Math.min(WAITING, first + 400); index += 1) {
      const quantity = index % 5 === 4 ? 2 : 1;
      waiting[String(quantity)] = (waiting[String(quantity)] ?? 0) + 1;
      const id = `entry${String(index).padStart(5, '0')}`;
      const userId = `waiting-${index}`;
      const at = Timestamp.fromMillis(now - WAITING + index);
      batch.create(db.collection(WAITLIST_ENTRIES_COLLECTION).doc(id), {
        eventId,
        userId,
        quantity,
        status: 'waiting',
        seq: index + 1,
        createdAt: at,
        updatedAt: at,
      });
      batch.create(db.collection(WAITLIST_MEMBERS_COLLECTION).doc(`${eventId}:${userId}`), { entryId: id });
    }
    await batch.commit();
  }
  await db
    .collection(WAITLIST_GATES_COLLECTION)
    .doc(eventId)
    .set({ eventId, waiting, waitingCount: WAITING, nextSeq: WAITING + 1, updatedAt: Timestamp.now() });
}

function wire(db: Firestore) {
  const inventory = new FirestoreInventoryStore(db);
  // The notifications stay in the outbox: publishing them is the relay's cost, not the offers'.
  const holdRelease = (offers?: WaitlistHooks) =>
    newHoldReleaseService(db, inventory, leaveToSweeper, offers);
  const waitlist = createWaitlistService(db, inventory, holdRelease());
  const release = holdRelease(createWaitlistOffers(db, inventory, async () => undefined, waitlist));
  return { inventory, bookings: createBookingService(db, inventory, release) };
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess(FIRESTORE_COMMIT_LATENCY_MS);
  process.env.FIRESTORE_EMULATOR_HOST = emulator.address;
  process.env.LOG_LEVEL ??= 'error';
  try {
    const db = getFirestore(initializeApp({ projectId: PROJECT_ID }));
    const { inventory, bookings } = wire(db);
    const eventId = await storeEventOnSale(db, inventory, {
      totalTickets: TOTAL,
      surgeThreshold: TOTAL / 2,
      basePrice: 5_000,
      surgePrice: 8_000,
      maxTicketsPerBooking: 4,
    });
    const returning: { userId: string; bookingId: string }[] = [];
    const hold = async (userId: string, quantity: number): Promise<string> => {
      const outcome = await bookings.book(userId, { eventId, quantity }, undefined);
      if (outcome.kind !== 'booked') throw new Error(`a setup hold was refused: ${outcome.kind}`);
      return outcome.booking.id;
    };
    for (let first = 0; first < RETURNING; first += 25) {
      await Promise.all(
        Array.from({ length: 25 }, async (_, offset) => {
          const userId = `returning-${first + offset}`;
          returning.push({ userId, bookingId: await hold(userId, 1) });
        }),
      );
    }
    for (let first = 0; first < KEPT / 4; first += 25) {
      await Promise.all(Array.from({ length: 25 }, (_, offset) => hold(`keeper-${first + offset}`, 4)));
    }
    await seedWaitlist(db, eventId);

    let running = true;
    let outsiderAttempts = 0;
    const outsiders = Array.from({ length: OUTSIDERS }, async (_, index) => {
      while (running) {
        outsiderAttempts += 1;
        await bookings.book(`outsider-${index}`, { eventId, quantity: 1 }, undefined).catch(() => undefined);
      }
    });
    const startedAt = Date.now();
    const returns: Promise<unknown>[] = [];
    for (let first = 0; first < RETURNING; first += BURST) {
      const burst = returning.slice(first, first + BURST);
      returns.push(...burst.map(({ userId, bookingId }) => bookings.cancelBooking(userId, bookingId)));
      await new Promise((resolve) => setTimeout(resolve, BURST_EVERY_MS));
    }
    await Promise.all(returns);
    running = false;
    await Promise.all(outsiders);

    const stored = await db.collection('bookings').where('eventId', '==', eventId).get();
    const returnedAt = stored.docs
      .filter((doc) => doc.get('status') === 'cancelled')
      .map((doc) => (doc.get('updatedAt') as Timestamp).toMillis())
      .sort((a, b) => a - b);
    const offers = stored.docs.filter((doc) => doc.get('waitlistEntryId') !== undefined);
    const offeredTickets = offers
      .flatMap((doc) =>
        Array.from({ length: doc.get('quantity') as number }, () =>
          (doc.get('createdAt') as Timestamp).toMillis(),
        ),
      )
      .sort((a, b) => a - b);
    const latencies = offeredTickets
      .map((offeredAt, index) => offeredAt - (returnedAt[index] ?? offeredAt))
      .sort((a, b) => a - b);
    const toOutsiders = stored.docs.filter((doc) => String(doc.get('userId')).startsWith('outsider-')).length;
    // Cancelled bookings keep their prices, so tickets are counted on the bookings that still have them.
    const live = stored.docs.filter((doc) =>
      ['held', 'confirmed', 'refund_pending'].includes(doc.get('status')),
    );
    const liveTickets = live.reduce((sum, doc) => sum + (doc.get('quantity') as number), 0);
    const oversold = Math.max(0, liveTickets - TOTAL);
    const { shardsOutOfBalance } = await storedSale(db, eventId, TOTAL);
    const lastOffer = offeredTickets.at(-1) ?? startedAt;
    const seconds = (lastOffer - (returnedAt[0] ?? startedAt)) / 1000;

    console.log(
      `waitlist bench: ${WAITING} waiting, ${RETURNING} tickets returning in bursts of ${BURST}/s,`,
    );
    console.log(
      `  ${OUTSIDERS} outsiders calling book (${outsiderAttempts} calls), commit latency ${FIRESTORE_COMMIT_LATENCY_MS} ms`,
    );
    console.log(`  machine: load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs`);
    console.log(
      `  offers ${offers.length} (${offeredTickets.length} tickets of ${returnedAt.length} returned)`,
    );
    console.log(
      `  offers/s ${(offers.length / Math.max(seconds, 0.001)).toFixed(1)} over ${seconds.toFixed(1)} s`,
    );
    console.log(
      `  return-to-offer p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
    );
    console.log(`  tickets to outsiders ${toOutsiders} (must be 0), oversold ${oversold} (must be 0)`);
    console.log(
      shardsOutOfBalance.length === 0
        ? '  shards balance'
        : `  SHARDS OUT OF BALANCE: ${shardsOutOfBalance.join(', ')}`,
    );
    if (toOutsiders > 0 || oversold > 0 || shardsOutOfBalance.length > 0) process.exitCode = 1;
  } finally {
    await emulator.stop();
  }
}

void main();
