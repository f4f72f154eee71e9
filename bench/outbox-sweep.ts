import { setTimeout as sleep } from 'node:timers/promises';
import { PubSub, type Message } from '@google-cloud/pubsub';
import { Timestamp } from 'firebase-admin/firestore';
import { startPubSubEmulator } from '../local/pubsub/server';
import { systemClock } from '../shared/time/clock';
import { firestore } from '../shared/firebase/firestore';
import { GooglePubSubPublisher } from '../shared/pubsub/google-pubsub-publisher';
import { OutboxRelay, SWEEP_MIN_AGE_MS } from '../shared/pubsub/outbox-relay';
import { OutboxRepository } from '../shared/pubsub/outbox-repository';
import { startEmulatorProcess } from './firestore-emulator-process';

/**
 * `npm run bench:outbox`: how long the outbox sweeper takes to drain a backlog of 10,000 unsent
 * payment-confirmed records (a Pub/Sub outage during an on-sale), through the real Pub/Sub client against
 * the local Pub/Sub emulator and firebase-admin against the Firestore emulator in its own process. The
 * sweeper runs once a minute in production; the bench calls it back to back and reports each run.
 */

const BACKLOG = 10_000;
const BOOKINGS = 2_000;
const PROJECT_ID = 'demo-outbox-bench';
const TOPIC = 'payment-confirmed';
const COMMIT_LATENCY_MS = 5;

async function seed(outbox: ReturnType<typeof firestore>): Promise<void> {
  const start = Date.now() - SWEEP_MIN_AGE_MS - 60_000;
  for (let first = 0; first < BACKLOG; first += 500) {
    const batch = outbox.batch();
    for (let index = first; index < Math.min(BACKLOG, first + 500); index += 1) {
      const bookingId = `booking${index % BOOKINGS}`;
      batch.create(outbox.collection('outbox').doc(), {
        topic: TOPIC,
        data: JSON.stringify({ bookingId, index }),
        orderingKey: bookingId,
        createdAt: Timestamp.fromMillis(start + index),
        sentAt: null,
      });
    }
    await batch.commit();
  }
}

async function main(): Promise<void> {
  const firestoreEmulator = await startEmulatorProcess(COMMIT_LATENCY_MS);
  const pubsubEmulator = await startPubSubEmulator({ port: 0 });
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.address;
  process.env.GCLOUD_PROJECT = PROJECT_ID;
  process.env.LOG_LEVEL ??= 'error';
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  const admin = new PubSub({ projectId: PROJECT_ID, apiEndpoint: pubsubEmulator.address });
  try {
    const [topic] = await admin.createTopic(TOPIC);
    const [subscription] = await topic.createSubscription('bench');
    const received = new Set<string>();
    subscription.on('message', (message: Message) => {
      message.ack();
      received.add(message.data.toString());
    });
    const db = firestore();
    await seed(db);
    console.log(
      `Outbox backlog: ${BACKLOG} unsent records over ${BOOKINGS} ordering keys; Firestore emulator in its own ` +
        `process (commit latency ${COMMIT_LATENCY_MS} ms), Pub/Sub emulator in this one.`,
    );
    const relay = new OutboxRelay(
      new OutboxRepository(db),
      new GooglePubSubPublisher({ projectId: PROJECT_ID, apiEndpoint: pubsubEmulator.address }),
      systemClock,
    );
    const startedAt = performance.now();
    let run = 0;
    let remaining = BACKLOG;
    while (remaining > 0) {
      run += 1;
      const runStartedAt = performance.now();
      const counts = await relay.sweep();
      const seconds = (performance.now() - runStartedAt) / 1000;
      console.log(
        `run ${run}: examined ${counts.examined}, published ${counts.published}, failed ${counts.failed} ` +
          `in ${seconds.toFixed(1)} s (${(counts.published / seconds).toFixed(0)} records/s)`,
      );
      if (counts.examined === 0) break;
      remaining = (await db.collection('outbox').where('sentAt', '==', null).count().get()).data().count;
    }
    const total = (performance.now() - startedAt) / 1000;
    const deliveredBy = performance.now() + 30_000;
    while (received.size < BACKLOG && performance.now() < deliveredBy) await sleep(200);
    console.log(
      `Drained ${BACKLOG - remaining} of ${BACKLOG} records in ${total.toFixed(1)} s over ${run} run(s); ` +
        `${remaining} left unsent; a subscriber received ${received.size} distinct messages.`,
    );
    await subscription.close();
    if (remaining > 0 || received.size < BACKLOG) process.exitCode = 1;
  } finally {
    await admin.close();
    await pubsubEmulator.stop();
    await firestoreEmulator.stop();
  }
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
