import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import Stripe from 'stripe';
import { startLocalCloud } from '../local/cloud';
import { AuditLog } from '../shared/audit/audit-log';
import { settleWithConcurrency } from '../shared/async/bounded-concurrency';
import { systemClock } from '../shared/time/clock';
import { CancellationJobRepository } from '../shared/cancellations/cancellation-job-repository';
import { createCancellationWorker } from '../shared/cancellations/cancellation-services';
import { EventRepository } from '../shared/events/event-repository';
import { EventService } from '../shared/events/event-service';
import { firestore } from '../shared/firebase/firestore';
import { FirestoreInventoryStore } from '../shared/inventory/firestore-inventory-store';
import type { ShardTake } from '../shared/inventory/ticket-reservation';
import { StripePaymentGateway } from '../shared/payments/stripe-payment-gateway';
import { storeEventOnSale } from '../test/support/events-on-sale';

/**
 * `npm run bench:cancel [-- --bookings 10000 --rate 20]`: cancels an event with that many confirmed, paid
 * bookings in the local cloud (its Stripe sandbox limited like live mode: 100 requests/s, 25 per endpoint)
 * and runs the cancellation worker back to back, as the scheduler would, until every booking is refunded
 * (the webhook completes each refund in the functions process). The bookings and their paid PaymentIntents
 * are seeded directly (batched writes; the sandbox's webhooks off meanwhile), not through HTTP journeys.
 */

const PRICE = 2500;
/** Bookings written per seeding transaction (each writes the booking and its payment). */
const SEED_CHUNK = 200;
const LIVE_LIMITS = { requestsPerSecond: 100, perEndpointPerSecond: 25 };

interface Seeded {
  readonly bookingId: string;
  readonly paymentId: string;
  readonly intentId: string;
}

async function sandbox<T>(url: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}/_sandbox/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`sandbox ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** One ticket per booking, taken from the shards the chunk's reservation planned. */
function singleTickets(takes: readonly ShardTake[]): ShardTake[] {
  return takes.flatMap((take) =>
    Array.from({ length: take.quantity }, () => ({ shardId: take.shardId, pool: take.pool, quantity: 1 })),
  );
}

async function seedPaidIntents(stripe: Stripe, db: Firestore, count: number): Promise<Seeded[]> {
  const ids = Array.from({ length: count }, () => ({
    bookingId: db.collection('bookings').doc().id,
    paymentId: db.collection('payments').doc().id,
  }));
  const outcomes = await settleWithConcurrency(ids, 32, async (seed) => {
    const intent = await stripe.paymentIntents.create({
      amount: PRICE,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      metadata: { booking_id: seed.bookingId, payment_id: seed.paymentId },
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    return { ...seed, intentId: intent.id };
  });
  return outcomes.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
}

async function seedBookings(
  db: Firestore,
  inventory: FirestoreInventoryStore,
  eventId: string,
  seeded: readonly Seeded[],
): Promise<void> {
  const now = new Date();
  for (let first = 0; first < seeded.length; first += SEED_CHUNK) {
    const chunk = seeded.slice(first, first + SEED_CHUNK);
    await db.runTransaction(async (tx) => {
      const prepared = await inventory.prepareReservation(tx, eventId, chunk.length);
      if (prepared === undefined) throw new Error('the bench event ran out of tickets');
      const tickets = singleTickets(prepared.reservation.takes);
      prepared.apply();
      inventory.markSold(tx, eventId, prepared.reservation.takes);
      chunk.forEach((seed, index) => {
        const userId = `bench-user-${first + index}`;
        tx.create(db.collection('bookings').doc(seed.bookingId), {
          eventId,
          userId,
          companyId: 'company-on-sale',
          quantity: 1,
          status: 'confirmed',
          unitPrices: [PRICE],
          total: PRICE,
          currency: 'EUR',
          allocation: [tickets[index]],
          expiresAt: Timestamp.fromDate(now),
          createdAt: Timestamp.fromDate(now),
          updatedAt: Timestamp.fromDate(now),
          paymentAttempts: 1,
          currentPaymentId: seed.paymentId,
          paidByPaymentId: seed.paymentId,
        });
        tx.create(db.collection('payments').doc(seed.paymentId), {
          bookingId: seed.bookingId,
          userId,
          attempt: 1,
          amount: PRICE,
          currency: 'eur',
          status: 'succeeded',
          stripePaymentIntentId: seed.intentId,
          createdAt: Timestamp.fromDate(now),
          updatedAt: Timestamp.fromDate(now),
        });
      });
    });
  }
}

async function countWithStatus(db: Firestore, eventId: string, status: string): Promise<number> {
  const snapshot = await db
    .collection('bookings')
    .where('eventId', '==', eventId)
    .where('status', '==', status)
    .count()
    .get();
  return snapshot.data().count;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { bookings: { type: 'string', default: '10000' }, rate: { type: 'string', default: '20' } },
  });
  const bookings = Number(values.bookings);
  const rate = Number(values.rate);
  const loadBefore = loadavg()[0] ?? 0;
  const cloud = await startLocalCloud({ ports: { functions: 0, firestore: 0, auth: 0 } });
  Object.assign(process.env, cloud.env, { LOG_LEVEL: 'error' });
  try {
    const db = firestore();
    const inventory = new FirestoreInventoryStore(db);
    const url = new URL(cloud.stripeUrl);
    const stripe = new Stripe('sk_test_bench', {
      host: url.hostname,
      port: Number(url.port),
      protocol: 'http',
    });
    const gateway = new StripePaymentGateway({
      secretKey: 'sk_test_bench',
      webhookSecret: undefined,
      apiHost: url.hostname,
      apiPort: Number(url.port),
      apiProtocol: 'http',
    });

    const endpoints = (await sandbox<{ webhookEndpoints: unknown[] }>(cloud.stripeUrl, 'config'))
      .webhookEndpoints;
    await sandbox(cloud.stripeUrl, 'config', { webhookEndpoints: [] });
    const seedStart = Date.now();
    const eventId = await storeEventOnSale(db, inventory, {
      totalTickets: bookings,
      surgeThreshold: bookings,
      basePrice: PRICE,
      surgePrice: PRICE,
      maxTicketsPerBooking: 10,
    });
    const seeded = await seedPaidIntents(stripe, db, bookings);
    await seedBookings(db, inventory, eventId, seeded);
    console.log(
      `seeded ${bookings} confirmed, paid bookings in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    await sandbox(cloud.stripeUrl, 'config', { webhookEndpoints: endpoints });
    await sandbox(cloud.stripeUrl, 'rate_limit', LIVE_LIMITS);

    const events = new EventRepository(db);
    const service = new EventService(
      db,
      events,
      inventory,
      new AuditLog(db),
      new CancellationJobRepository(db),
      { schedule: () => undefined },
    );
    const caller = {
      uid: 'bench-admin',
      companyId: 'company-on-sale',
      email: undefined,
      emailVerified: false,
      role: 'admin' as const,
    };
    const started = Date.now();
    await service.cancel(caller, { id: eventId, version: 1, reason: 'Benchmark' });
    const worker = createCancellationWorker(db, gateway, systemClock, {
      refundsPerSecond: rate,
      runMs: 50_000,
      maxRateLimitRetries: 8,
    });
    let rateLimited = 0;
    let requested = 0;
    let runs = 0;
    for (;;) {
      const report = await worker.run();
      runs += 1;
      rateLimited += report.rateLimited;
      requested += report.refundsRequested;
      if (report.refundsRequested === 0 && report.failed === 0) break;
    }
    const sentAt = Date.now();
    let unrefunded = bookings;
    for (let poll = 0; poll < 600 && unrefunded > 0; poll += 1) {
      unrefunded = bookings - (await countWithStatus(db, eventId, 'refunded'));
      if (unrefunded > 0) await sleep(500);
    }
    const finished = Date.now();
    // Every event is delivered (refund.created follows its charge.refunded) before they are counted.
    await sandbox(cloud.stripeUrl, 'idle');
    const deliveries = (
      await sandbox<{ data: { eventId: string; type: string }[] }>(cloud.stripeUrl, 'deliveries')
    ).data;
    const refundEvents = new Set(deliveries.filter((d) => d.type === 'refund.created').map((d) => d.eventId));
    const limits = await sandbox<{ refused: number }>(cloud.stripeUrl, 'rate_limit');
    const seconds = (finished - started) / 1000;
    console.log(
      JSON.stringify(
        {
          bookings,
          configuredRefundsPerSecond: rate,
          sandboxLimits: LIVE_LIMITS,
          workerRuns: runs,
          secondsToSendAllRefunds: (sentAt - started) / 1000,
          secondsToFinish: seconds,
          refundsPerSecond: Number((bookings / seconds).toFixed(2)),
          ofConfiguredRate: `${((bookings / seconds / rate) * 100).toFixed(0)} %`,
          refundRequestsSent: requested,
          stripe429sMetByWorker: rateLimited,
          stripe429sAnsweredBySandbox: limits.refused,
          refundsDuplicated: refundEvents.size - (bookings - unrefunded),
          bookingsLeftUnrefunded: unrefunded,
          machine: {
            cpus: cpus().length,
            loadAverageBefore: loadBefore,
            loadAverageAfter: loadavg()[0] ?? 0,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await cloud.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
