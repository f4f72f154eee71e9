import { PubSub, type Message } from '@google-cloud/pubsub';
import { startPubSubEmulator } from '../../../local/pubsub/server';
import { systemClock } from '../../../shared/bookings/clock';
import { GooglePubSubPublisher } from '../../../shared/pubsub/google-pubsub-publisher';
import { OutboxRelay } from '../../../shared/pubsub/outbox-relay';
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
