import { PubSub, type Message } from '@google-cloud/pubsub';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getFirestore, Timestamp } from 'firebase-admin/firestore';
import { startPubSubEmulator } from '../../../local/pubsub/server';
import { systemClock } from '../../../shared/time/clock';
import { GooglePubSubPublisher } from '../../../shared/pubsub/google-pubsub-publisher';
import type { MessagePublisher, OutgoingMessage } from '../../../shared/pubsub/message-publisher';
import {
  leaveToSweeper,
  OutboxRelay,
  SWEEP_MIN_AGE_MS,
  SWEEP_PAGE_SIZE,
} from '../../../shared/pubsub/outbox-relay';
import { OutboxRepository } from '../../../shared/pubsub/outbox-repository';
import { adminFirestore } from '../../support/firestore-admin';

const PROJECT = 'demo-event-manager';

describe('OutboxRelay with the Pub/Sub SDK', () => {
  it('keeps a record Pub/Sub refused unsent, and publishes it once Pub/Sub is back', async () => {
    const outbox = new OutboxRepository(adminFirestore());
    const orderingKey = `booking-${Date.now()}-${Math.random()}`;
    const record = await adminFirestore().runTransaction(async (tx) =>
      outbox.add(
        tx,
        { topic: 'payment-confirmed', data: JSON.stringify({ orderingKey }), orderingKey },
        new Date(),
      ),
    );
    const dead = new GooglePubSubPublisher({
      projectId: PROJECT,
      apiEndpoint: '127.0.0.1:1',
      publishTimeoutMs: 500,
    });
    expect(await new OutboxRelay(outbox, dead, systemClock).relay(record)).toBe(false);

    const emulator = await startPubSubEmulator({ port: 0 });
    const pubsub = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.address });
    try {
      const [topic] = await pubsub.createTopic('payment-confirmed');
      const [subscription] = await topic.createSubscription('check');
      const live = new GooglePubSubPublisher({ projectId: PROJECT, apiEndpoint: emulator.address });
      // Relaying the record itself, not sweeping: a sweep here would take other test files' records.
      expect(await new OutboxRelay(outbox, live, systemClock).relay(record)).toBe(true);
      const received = new Promise<string>((resolve) => {
        subscription.on('message', (message: Message) => {
          message.ack();
          if (message.orderingKey === orderingKey) resolve(message.data.toString());
        });
      });
      expect(await received).toBe(JSON.stringify({ orderingKey }));
      await subscription.close();
      expect((await adminFirestore().collection('outbox').doc(record.id).get()).get('sentAt')).not.toBeNull();
    } finally {
      await pubsub.close();
      await emulator.stop();
    }
  });
});

describe('OutboxRelay.sweep of a backlog', () => {
  // A project of its own on the emulator: a sweep takes every unsent record, so other files' must not exist.
  const app = initializeApp({ projectId: 'demo-outbox-backlog' }, 'outbox-backlog');
  const db = getFirestore(app);
  const later = { now: () => new Date(Date.now() + SWEEP_MIN_AGE_MS + 1000) };

  afterAll(() => deleteApp(app));

  /** Publishes what it is given, in call order, and refuses every message of the keys in `refused`. */
  class ScriptedPublisher implements MessagePublisher {
    readonly published: OutgoingMessage[] = [];
    constructor(private readonly refused: ReadonlySet<string> = new Set()) {}

    async publish(message: OutgoingMessage): Promise<void> {
      if (this.refused.has(message.orderingKey)) throw new Error(`Pub/Sub refused ${message.orderingKey}`);
      this.published.push(message);
    }
  }

  /** Writes `count` unsent records over `keys` ordering keys, a millisecond apart, as commits would have. */
  async function backlog(count: number, keys: number): Promise<void> {
    const start = Date.now() - 60_000;
    for (let first = 0; first < count; first += 500) {
      const batch = db.batch();
      for (let index = first; index < Math.min(count, first + 500); index += 1) {
        batch.create(db.collection('outbox').doc(), {
          topic: 'payment-confirmed',
          data: JSON.stringify({ index }),
          orderingKey: `booking-${index % keys}`,
          createdAt: Timestamp.fromMillis(start + index),
          sentAt: null,
        });
      }
      await batch.commit();
    }
  }

  async function unsentCount(): Promise<number> {
    return (await db.collection('outbox').where('sentAt', '==', null).count().get()).data().count;
  }

  it('publishes a backlog of several pages in one run, marks all sent, and keeps per-key order', async () => {
    await backlog(3 * SWEEP_PAGE_SIZE + 17, 50);
    const publisher = new ScriptedPublisher();

    const counts = await new OutboxRelay(new OutboxRepository(db), publisher, later).sweep();

    expect(counts).toEqual({ examined: 1517, published: 1517, failed: 0 });
    expect(publisher.published).toHaveLength(1517);
    expect(await unsentCount()).toBe(0);
    const key7 = publisher.published.filter((message) => message.orderingKey === 'booking-7');
    const indexes = key7.map((message) => (JSON.parse(message.data) as { index: number }).index);
    expect(indexes).toEqual(Array.from({ length: 31 }, (_, n) => 7 + 50 * n));
    expect(await new OutboxRelay(new OutboxRepository(db), publisher, later).sweep()).toEqual({
      examined: 0,
      published: 0,
      failed: 0,
    });
  });

  it('moves past records Pub/Sub refuses, leaving exactly those unsent for the next run', async () => {
    await backlog(SWEEP_PAGE_SIZE + 100, 20);
    const publisher = new ScriptedPublisher(new Set(['booking-3']));

    const counts = await new OutboxRelay(new OutboxRepository(db), publisher, later).sweep();

    expect(counts).toEqual({ examined: 600, published: 570, failed: 30 });
    expect(await unsentCount()).toBe(30);
    const retried = await new OutboxRelay(new OutboxRepository(db), new ScriptedPublisher(), later).sweep();
    expect(retried).toEqual({ examined: 30, published: 30, failed: 0 });
    expect(await unsentCount()).toBe(0);
  });

  it('keeps what leaveToSweeper is given unsent, for the sweep to publish', async () => {
    const outbox = new OutboxRepository(db);
    const record = await db.runTransaction(async (tx) =>
      outbox.add(tx, { topic: 'user-notifications', data: '{}', orderingKey: 'user-swept' }, new Date()),
    );

    expect(await leaveToSweeper.relay(record)).toBe(false);

    expect(await unsentCount()).toBe(1);
    const publisher = new ScriptedPublisher();
    expect(await new OutboxRelay(outbox, publisher, later).sweep()).toEqual({
      examined: 1,
      published: 1,
      failed: 0,
    });
    expect(publisher.published.map((message) => message.orderingKey)).toEqual(['user-swept']);
  });
});
