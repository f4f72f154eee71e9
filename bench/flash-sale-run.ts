import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { initializeApp } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { BookingRepository } from '../shared/bookings/booking-repository';
import { systemClock } from '../shared/time/clock';
import { InventoryReconciliation } from '../shared/bookings/inventory-reconciliation';
import { EventRepository } from '../shared/events/event-repository';
import { FirestoreInventoryStore } from '../shared/inventory/firestore-inventory-store';
import type { ShardingPolicy } from '../shared/inventory/shard-layout';
import { storeEventOnSale } from '../test/support/events-on-sale';
import type { AttemptResult, Outcome, ParentMessage, WorkerMessage, WorkerTask } from './flash-sale-worker';

/** The shape of one flash sale. */
export interface SaleSetup {
  readonly projectId: string;
  readonly totalTickets: number;
  readonly surgeThreshold: number;
  readonly basePrice: number;
  readonly surgePrice: number;
  readonly maxTicketsPerBooking: number;
  readonly attempts: number;
  /** Simulated function instances, each with its own Firestore client and in-process shard hints. */
  readonly instances: number;
  /** Booking calls in flight per instance. */
  readonly inFlightPerInstance: number;
  /** Load-generator processes the instances are spread over. */
  readonly processes: number;
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
  /**
   * Shards whose held and sold tickets differ from what the live bookings took from them (the check of
   * `reconcileInventory`, docs/inventory.md, Reconciliation): where an oversold or a lost ticket came from,
   * if any.
   */
  readonly shardsOutOfBalance: readonly string[];
  readonly baseTickets: number;
  readonly unsoldWhileDemandRemained: number;
  /**
   * What is wrong with the uncounted sale that warmed the instances up (tickets oversold, shards out of
   * balance): it is not timed, but it must be as correct as the measured one.
   */
  readonly warmUpFaults: readonly string[];
  /** CPU the load-generator processes (all simulated instances) used until the sell-out, in cores. */
  readonly clientCores: number;
  /** The same per booking made, in milliseconds. */
  readonly clientMsPerBooking: number;
  /** CPU the emulator used until the sell-out, in cores; undefined when it cannot be read. */
  readonly emulatorCores: number | undefined;
  /** The same per booking made, in milliseconds. */
  readonly emulatorMsPerBooking: number | undefined;
}

/** How often the emulator's CPU time is sampled during a sale. */
const CPU_SAMPLE_MS = 100;

/** Samples a CPU-time reading (seconds) until stopped; `at(time)` is the first sample taken at or after it. */
function sampleCpu(read: () => Promise<number | undefined>) {
  const samples: { readonly atMs: number; readonly seconds: number }[] = [];
  const take = async (): Promise<void> => {
    const seconds = await read();
    if (seconds !== undefined) samples.push({ atMs: performance.timeOrigin + performance.now(), seconds });
  };
  let timer: NodeJS.Timeout | undefined;
  const loop = (): void => {
    timer = setTimeout(() => void take().then(loop), CPU_SAMPLE_MS);
  };
  return {
    start: async (): Promise<void> => {
      await take();
      loop();
    },
    stop: async (): Promise<void> => {
      clearTimeout(timer);
      await take();
    },
    /** Seconds of CPU from the first sample to the first sample taken at or after `atMs`. */
    until: (atMs: number): number | undefined => {
      const first = samples[0];
      const after = samples.find((sample) => sample.atMs >= atMs) ?? samples.at(-1);
      return first === undefined || after === undefined ? undefined : after.seconds - first.seconds;
    },
  };
}

let saleCount = 0;

/**
 * The commit latency the benchmarks give the Firestore emulator: roughly what a production commit takes,
 * so that locks are held about as long as they are in production.
 */
export const FIRESTORE_COMMIT_LATENCY_MS = 25;

/** The p-th percentile of ascending `sorted` values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * The attempts of each instance, dealt round-robin over the instances: each instance asks for 1..max tickets
 * in turn, as a function instance serves a mix of buyers. (Numbering the sizes by the attempt instead gave
 * every instance a single size whenever the instance count is a multiple of max, so instances used tickets
 * at rates from 1 to 4.)
 */
function attemptsByInstance(setup: SaleSetup): number[][] {
  const byInstance: number[][] = Array.from({ length: setup.instances }, () => []);
  for (let attempt = 0; attempt < setup.attempts; attempt += 1) {
    const turn = Math.floor(attempt / setup.instances);
    byInstance[attempt % setup.instances]?.push(1 + (turn % setup.maxTicketsPerBooking));
  }
  return byInstance;
}

interface Worker {
  readonly child: ChildProcess;
  readonly next: (type: WorkerMessage['type']) => Promise<WorkerMessage>;
  /** Settles when the process has exited. */
  readonly exit: Promise<unknown>;
}

function startWorker(task: WorkerTask): Worker {
  const child = fork(path.join(__dirname, 'flash-sale-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exit = once(child, 'exit');
  const exited = exit.then(([code]) => {
    throw new Error(`A flash-sale worker exited early (status ${String(code)})`);
  });
  exited.catch(() => undefined);
  const next = (type: WorkerMessage['type']): Promise<WorkerMessage> =>
    Promise.race([
      new Promise<WorkerMessage>((resolve) => {
        const listener = (message: WorkerMessage): void => {
          if (message.type !== type) return;
          child.off('message', listener);
          resolve(message);
        };
        child.on('message', listener);
      }),
      exited,
    ]);
  const message: ParentMessage = { type: 'task', task };
  child.send(message);
  return { child, next, exit };
}

/** What an event's stored bookings hold: their unit prices, tickets beyond `totalTickets`, shards that disagree. */
export async function storedSale(
  db: Firestore,
  eventId: string,
  totalTickets: number,
): Promise<{
  readonly unitPrices: readonly number[];
  readonly oversold: number;
  readonly shardsOutOfBalance: readonly string[];
}> {
  const stored = await db.collection('bookings').where('eventId', '==', eventId).get();
  const unitPrices = stored.docs.flatMap((document) => document.get('unitPrices') as number[]);
  // The same comparison as the production reconciliation (reconcileInventory), after the sale has settled.
  const { unbalancedShards } = await new InventoryReconciliation(
    db,
    new EventRepository(db),
    new BookingRepository(db),
    systemClock,
  ).reconcileEvent(eventId);
  const shardsOutOfBalance = unbalancedShards.map(
    (shard) =>
      `${shard.shardId} (${shard.held} held, ${shard.sold} sold; ` +
      `${shard.heldInBookings} held, ${shard.soldInBookings} sold in bookings)`,
  );
  return { unitPrices, oversold: Math.max(0, unitPrices.length - totalTickets), shardsOutOfBalance };
}

/**
 * Runs one flash sale: distinct users asking for 1..max tickets, spread over the instances, which are
 * spread over `setup.processes` worker processes. `readEmulatorCpu` reads the database's CPU time (s).
 */
export async function runSale(
  label: string,
  policy: ShardingPolicy,
  setup: SaleSetup,
  readEmulatorCpu: () => Promise<number | undefined>,
): Promise<SaleReport> {
  saleCount += 1;
  const db = getFirestore(initializeApp({ projectId: setup.projectId }, `bench-setup-${saleCount}`));
  const inventory = new FirestoreInventoryStore(db, { policy });
  const shape = {
    totalTickets: setup.totalTickets,
    surgeThreshold: setup.surgeThreshold,
    basePrice: setup.basePrice,
    surgePrice: setup.surgePrice,
    maxTicketsPerBooking: setup.maxTicketsPerBooking,
  };
  const warmUpEventId = await storeEventOnSale(db, inventory, { ...shape, name: 'Warm-up' });
  const eventId = await storeEventOnSale(db, inventory, { ...shape, name: 'Flash sale' });

  const byInstance = attemptsByInstance(setup);
  const workers = Array.from({ length: setup.processes }, (_, worker) =>
    startWorker({
      projectId: setup.projectId,
      policy,
      eventId,
      warmUpEventId,
      inFlightPerInstance: setup.inFlightPerInstance,
      instances: byInstance.filter((_, instance) => instance % setup.processes === worker),
    }),
  );
  await Promise.all(workers.map((worker) => worker.next('ready')));
  const emulatorCpu = sampleCpu(readEmulatorCpu);
  await emulatorCpu.start();
  const startedAt = performance.timeOrigin + performance.now();
  const done = workers.map((worker) => worker.next('done'));
  const go: ParentMessage = { type: 'go' };
  for (const worker of workers) worker.child.send(go);
  const reports = await Promise.all(done);
  await emulatorCpu.stop();
  await Promise.all(workers.map((worker) => worker.exit));

  const results: AttemptResult[] = reports.flatMap((report) =>
    report.type === 'done' ? report.results : [],
  );
  const clientCpuMs =
    reports.reduce((sum, report) => sum + (report.type === 'done' ? report.cpuMicrosToLastBooking : 0), 0) /
    1e3;
  const booked = results.filter((result) => result.outcome === 'booked');
  const lastBookingAt = Math.max(startedAt, ...booked.map((result) => result.finishedAtMs));
  const sellOutSeconds = (lastBookingAt - startedAt) / 1000;
  const emulatorCpuSeconds = emulatorCpu.until(lastBookingAt);
  const latencies = results.map((result) => result.latencyMs).sort((a, b) => a - b);
  const outcomes: Record<Outcome, number> = { booked: 0, 'sold-out': 0, busy: 0, error: 0 };
  for (const result of results) outcomes[result.outcome] += 1;

  const { unitPrices, oversold, shardsOutOfBalance } = await storedSale(db, eventId, setup.totalTickets);
  const warmUpSale = await storedSale(db, warmUpEventId, setup.totalTickets);
  const warmUpFaults = [
    ...(warmUpSale.oversold > 0 ? [`${warmUpSale.oversold} oversold`] : []),
    ...warmUpSale.shardsOutOfBalance.map((shard) => `shard ${shard}`),
  ];
  const left = (await inventory.availability([eventId])).get(eventId)?.availableTickets ?? 0;
  const smallestTurnedAway = Math.min(
    Infinity,
    ...results.filter((result) => result.outcome !== 'booked').map((result) => result.quantity),
  );
  await db.terminate();
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
    oversold,
    shardsOutOfBalance,
    baseTickets: unitPrices.filter((price) => price === setup.basePrice).length,
    // Tickets still on sale although someone asking for no more than that many was turned away.
    unsoldWhileDemandRemained: left >= smallestTurnedAway ? left : 0,
    warmUpFaults,
    clientCores: clientCpuMs / 1000 / sellOutSeconds,
    clientMsPerBooking: clientCpuMs / Math.max(1, booked.length),
    emulatorCores: emulatorCpuSeconds === undefined ? undefined : emulatorCpuSeconds / sellOutSeconds,
    emulatorMsPerBooking:
      emulatorCpuSeconds === undefined ? undefined : (emulatorCpuSeconds * 1000) / Math.max(1, booked.length),
  };
}
