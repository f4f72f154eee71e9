import { initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { settleWithConcurrency } from '../shared/bookings/bounded-concurrency';
import { ConflictError, RateLimitedError } from '../shared/errors/domain-errors';
import { createBookingService } from '../shared/bookings/booking-services';
import { EventRepository } from '../shared/events/event-repository';
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
  return { db, events: new EventRepository(db), service };
}

async function warmUp(
  instance: ReturnType<typeof startInstance>,
  name: string,
  eventId: string,
): Promise<void> {
  await instance.events.find(eventId);
  const own = instance.db.collection('benchInstances').doc(name);
  await instance.db.runTransaction(async (tx) => {
    await tx.get(own);
    tx.set(own, { warmedUpAt: new Date() });
  });
  const rolledBack = new Error('rolled back on purpose');
  const outcome = await instance.db
    .runTransaction(async (tx) => {
      await tx.get(own);
      throw rolledBack;
    })
    .catch((error: unknown) => error);
  if (outcome !== rolledBack) throw new Error('The warm-up transaction did not roll back as expected');
}

function classify(error: unknown): Outcome {
  if (error instanceof ConflictError && error.kind === 'sold-out') return 'sold-out';
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
  // Connecting and loading the SDK's protocol definitions and transaction code take each client a second
  // or more: that is an instance starting, not booking work, so every instance reads once and runs one
  // committed and one rolled-back transaction (on a document of its own) before the sale starts.
  await Promise.all(
    instances.map((instance, index) => warmUp(instance, `${process.pid}-${index}`, task.eventId)),
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
            .then((): Outcome => 'booked', classify);
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
