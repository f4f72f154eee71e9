import { initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { settleWithConcurrency } from '../shared/async/bounded-concurrency';
import { RateLimitedError } from '../shared/errors/domain-errors';
import type { BookOutcome } from '../shared/bookings/booking-outcomes';
import { createBookingService } from '../shared/bookings/booking-services';
import { FirestoreInventoryStore } from '../shared/inventory/firestore-inventory-store';
import type { ShardingPolicy } from '../shared/inventory/shard-layout';

/*
 * One load-generator process of `npm run bench:flash` (forked by flash-sale-run.ts): it simulates some of
 * the sale's function instances, each with its own Admin SDK app and so its own gRPC channels and shard
 * scheduler. Several such processes let the load generator use more than one CPU core.
 */

/** What the parent asks a worker to do. */
export interface WorkerTask {
  readonly projectId: string;
  readonly policy: ShardingPolicy;
  readonly eventId: string;
  /** An event of the same shape that the instances sell out the same way before the clock starts. */
  readonly warmUpEventId: string;
  readonly inFlightPerInstance: number;
  /** Per simulated instance, the quantities its attempts ask for. */
  readonly instances: readonly (readonly number[])[];
}

export type Outcome = 'booked' | 'sold-out' | 'busy' | 'error';

/** One booking attempt as measured; times are absolute (ms since the Unix epoch) to compare across processes. */
export interface AttemptResult {
  readonly outcome: Outcome;
  readonly quantity: number;
  readonly latencyMs: number;
  readonly finishedAtMs: number;
}

/** Messages from a worker to the parent. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly results: AttemptResult[]; readonly cpuMicrosToLastBooking: number };

/** Messages from the parent to a worker. */
export type ParentMessage = { readonly type: 'task'; readonly task: WorkerTask } | { readonly type: 'go' };

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

function startInstance(projectId: string, policy: ShardingPolicy, name: string) {
  const db = getFirestore(initializeApp({ projectId }, name));
  const service = createBookingService(db, new FirestoreInventoryStore(db, { policy }));
  return { db, service };
}

/**
 * Sells out the warm-up event with the instance's attempts of the sale itself, before the clock starts, so
 * that the measured sale runs code V8 has optimised, late paths included (see flash-sale.ts).
 */
async function warmUp(
  instance: ReturnType<typeof startInstance>,
  instanceName: string,
  quantities: readonly number[],
  task: WorkerTask,
): Promise<void> {
  const settled = await settleWithConcurrency(quantities, task.inFlightPerInstance, (quantity) =>
    instance.service
      .book(
        `warm-up-${instanceName}-${Math.random().toString(36).slice(2)}`,
        { eventId: task.warmUpEventId, quantity },
        undefined,
      )
      .then(measured, classify),
  );
  const failed = settled.filter((result) => result.status === 'rejected' || result.value === 'error');
  if (failed.length > 0) throw new Error(`${failed.length} warm-up bookings failed`);
}

/** A sale's attempt as counted: a hold or sold out; any other refusal is a fault of the benchmark's setup. */
function measured(outcome: BookOutcome): Outcome {
  if (outcome.kind === 'booked' || outcome.kind === 'sold-out') return outcome.kind;
  console.error(outcome);
  return 'error';
}

function classify(error: unknown): Outcome {
  if (error instanceof RateLimitedError) return 'busy';
  console.error(error);
  return 'error';
}

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send?.(message, undefined, undefined, (error) => (error ? reject(error) : resolve()));
  });
}

async function run(task: WorkerTask, go: Promise<void>): Promise<void> {
  const instances = task.instances.map((quantities, index) => ({
    quantities,
    ...startInstance(task.projectId, task.policy, `bench-${process.pid}-${index}`),
  }));
  // Connecting, loading the SDK and optimising the booking code are an instance starting, not booking work.
  await Promise.all(
    instances.map((instance, index) =>
      warmUp(instance, `${process.pid}-${index}`, instance.quantities, task),
    ),
  );
  await send({ type: 'ready' });
  await go;
  const cpuAtStart = process.cpuUsage();
  let cpuToLastBooking = { user: 0, system: 0 };
  const perInstance = await Promise.all(
    instances.map(async (instance, index) => {
      const settled = await settleWithConcurrency(
        instance.quantities,
        task.inFlightPerInstance,
        async (quantity) => {
          const begun = nowMs();
          const userId = `bench-${task.eventId}-${process.pid}-${index}-${Math.random().toString(36).slice(2)}`;
          const outcome = await instance.service
            .book(userId, { eventId: task.eventId, quantity }, undefined)
            .then(measured, classify);
          const finishedAtMs = nowMs();
          if (outcome === 'booked') cpuToLastBooking = process.cpuUsage(cpuAtStart);
          return { outcome, quantity, latencyMs: finishedAtMs - begun, finishedAtMs };
        },
      );
      return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    }),
  );
  await Promise.all(instances.map((instance) => instance.db.terminate()));
  await send({
    type: 'done',
    results: perInstance.flat(),
    cpuMicrosToLastBooking: cpuToLastBooking.user + cpuToLastBooking.system,
  });
}

let release: () => void = () => undefined;
const go = new Promise<void>((resolve) => {
  release = resolve;
});
process.on('message', (message: ParentMessage) => {
  if (message.type === 'go') release();
  else
    run(message.task, go).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
});
