import { initializeApp } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { BookingRepository } from '../shared/bookings/booking-repository';
import { BookingService } from '../shared/bookings/booking-service';
import { settleWithConcurrency } from '../shared/bookings/bounded-concurrency';
import { systemClock } from '../shared/bookings/clock';
import { HoldReleaseService } from '../shared/bookings/hold-release-service';
import { IdempotencyStore } from '../shared/bookings/idempotency-store';
import { UserHoldRepository } from '../shared/bookings/user-hold-repository';
import { ConflictError, RateLimitedError } from '../shared/errors/domain-errors';
import type { StoredEvent } from '../shared/events/event';
import { EventRepository } from '../shared/events/event-repository';
import { FirestoreInventoryStore } from '../shared/inventory/firestore-inventory-store';
import type { ShardingPolicy } from '../shared/inventory/shard-layout';

/** The shape of one flash sale. */
export interface SaleSetup {
  readonly projectId: string;
  readonly totalTickets: number;
  readonly surgeThreshold: number;
  readonly basePrice: number;
  readonly surgePrice: number;
  readonly maxTicketsPerBooking: number;
  readonly attempts: number;
  /** Simulated function instances, each with its own Firestore client and in-process shard scheduler. */
  readonly instances: number;
  /** Booking calls in flight per instance. */
  readonly inFlightPerInstance: number;
}

type Outcome = 'booked' | 'sold-out' | 'busy' | 'error';

interface AttemptResult {
  readonly outcome: Outcome;
  readonly quantity: number;
  readonly latencyMs: number;
  readonly finishedAtMs: number;
}

/** What one sale measured. */
export interface SaleReport {
  readonly label: string;
  readonly bookings: number;
  readonly bookingsPerSecond: number;
  readonly sellOutSeconds: number;
  readonly latency: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly ticketsBooked: number;
  readonly oversold: number;
  readonly baseTickets: number;
  readonly unsoldWhileDemandRemained: number;
  /** CPU this process (all simulated instances) used while selling, in cores. */
  readonly clientCores: number;
}

interface Instance {
  readonly db: Firestore;
  readonly events: EventRepository;
  readonly inventory: FirestoreInventoryStore;
  readonly service: BookingService;
}

let appCount = 0;

/** One simulated function instance: its own Admin SDK app, so its own gRPC channels, caches and scheduler. */
function startInstance(projectId: string, policy: ShardingPolicy): Instance {
  appCount += 1;
  const db = getFirestore(initializeApp({ projectId }, `bench-instance-${appCount}`));
  const inventory = new FirestoreInventoryStore(db, { policy });
  const events = new EventRepository(db);
  const bookings = new BookingRepository(db);
  const holds = new UserHoldRepository(db);
  const service = new BookingService({
    db,
    events,
    bookings,
    holds,
    idempotency: new IdempotencyStore(db),
    inventory,
    holdRelease: new HoldReleaseService(db, bookings, holds, inventory, systemClock),
    clock: systemClock,
  });
  return { db, events, inventory, service };
}

function flashSaleEvent(events: EventRepository, setup: SaleSetup): StoredEvent {
  const now = new Date();
  return {
    id: events.newId(),
    companyId: 'bench-company',
    name: 'Flash sale',
    description: null,
    startsAt: new Date(now.getTime() + 24 * 60 * 60 * 1000),
    venue: 'Bench Arena',
    location: { lat: 52.52, lng: 13.405 },
    totalTickets: setup.totalTickets,
    currency: 'EUR',
    basePrice: setup.basePrice,
    surgePrice: setup.surgePrice,
    surgeThreshold: setup.surgeThreshold,
    holdMinutes: 15,
    maxTicketsPerBooking: setup.maxTicketsPerBooking,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

function classify(error: unknown): Outcome {
  if (error instanceof ConflictError && error.kind === 'sold-out') return 'sold-out';
  if (error instanceof RateLimitedError) return 'busy';
  console.error(error);
  return 'error';
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function attemptAll(
  instance: Instance,
  eventId: string,
  quantities: readonly number[],
  setup: SaleSetup,
) {
  const settled = await settleWithConcurrency(quantities, setup.inFlightPerInstance, async (quantity) => {
    const begun = performance.now();
    const userId = `bench-${eventId}-${appCount}-${Math.random().toString(36).slice(2)}`;
    const outcome = await instance.service
      .book(userId, { eventId, quantity }, undefined)
      .then((): Outcome => 'booked', classify);
    const finishedAtMs = performance.now();
    return { outcome, quantity, latencyMs: finishedAtMs - begun, finishedAtMs };
  });
  return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}

/** Runs one flash sale: distinct users asking for 1..max tickets, spread over the instances. */
export async function runSale(label: string, policy: ShardingPolicy, setup: SaleSetup): Promise<SaleReport> {
  const instances = Array.from({ length: setup.instances }, () => startInstance(setup.projectId, policy));
  const [first] = instances;
  if (first === undefined) throw new Error('A sale needs at least one instance');
  const event = flashSaleEvent(first.events, setup);
  await first.db.runTransaction(async (tx) => {
    first.events.create(tx, event);
    first.inventory.initialise(tx, event.id, event);
  });

  const quantities = Array.from(
    { length: setup.attempts },
    (_, index) => 1 + (index % setup.maxTicketsPerBooking),
  );
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  const perInstance = await Promise.all(
    instances.map((instance, index) =>
      attemptAll(
        instance,
        event.id,
        quantities.filter((_, attempt) => attempt % setup.instances === index),
        setup,
      ),
    ),
  );
  const results: AttemptResult[] = perInstance.flat();

  const booked = results.filter((result) => result.outcome === 'booked');
  const lastBookingAt = Math.max(startedAt, ...booked.map((result) => result.finishedAtMs));
  const sellOutSeconds = (lastBookingAt - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const clientCores = (cpu.user + cpu.system) / 1e3 / (performance.now() - startedAt);
  const latencies = results.map((result) => result.latencyMs).sort((a, b) => a - b);
  const outcomes: Record<Outcome, number> = { booked: 0, 'sold-out': 0, busy: 0, error: 0 };
  for (const result of results) outcomes[result.outcome] += 1;

  const stored = await first.db.collection('bookings').where('eventId', '==', event.id).get();
  const unitPrices = stored.docs.flatMap((document) => document.get('unitPrices') as number[]);
  const left = (await first.inventory.availability([event.id])).get(event.id)?.availableTickets ?? 0;
  const smallestTurnedAway = Math.min(
    Infinity,
    ...results.filter((result) => result.outcome !== 'booked').map((result) => result.quantity),
  );
  await Promise.all(instances.map((instance) => instance.db.terminate()));
  return {
    label,
    bookings: booked.length,
    bookingsPerSecond: booked.length / sellOutSeconds,
    sellOutSeconds,
    latency: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
    outcomes,
    ticketsBooked: unitPrices.length,
    oversold: Math.max(0, unitPrices.length - setup.totalTickets),
    baseTickets: unitPrices.filter((price) => price === setup.basePrice).length,
    // Tickets still on sale although someone asking for no more than that many was turned away.
    unsoldWhileDemandRemained: left >= smallestTurnedAway ? left : 0,
    clientCores,
  };
}
