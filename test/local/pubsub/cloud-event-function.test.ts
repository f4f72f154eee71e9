import type { Server } from 'node:http';
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { ensureTopicsAndPushSubscriptions } from '../../../local/pubsub/topology';
import { PROJECT_ID, subscriptionName, topicName, usePubSubEmulator, waitFor } from './emulator-fixture';
import { closeServer, listen } from './push-endpoint';

const fixture = usePubSubEmulator({ backoffScale: 0.001 });

/** The data of the CloudEvent Eventarc delivers for a Pub/Sub message (google.events.cloud.pubsub.v1). */
interface MessagePublishedData {
  message: { data: string; attributes: Record<string, string>; messageId: string; publishTime: string };
}

const received: CloudEvent<MessagePublishedData>[] = [];
let failuresToSimulate = 0;
cloudEvent('pubsubConformanceSink', (event: CloudEvent<MessagePublishedData>) => {
  received.push(event);
  if (failuresToSimulate > 0) {
    failuresToSimulate -= 1;
    throw new Error('simulated transient failure');
  }
});

let server: Server;
let functionUrl: string;
beforeAll(async () => {
  server = getTestServer('pubsubConformanceSink');
  functionUrl = await listen(server);
});
afterAll(() => closeServer(server));
afterEach(() => {
  fixture.emulator.reset();
  received.length = 0;
  jest.restoreAllMocks();
});

/** The push endpoint of a trigger: the function's URL plus the topic path the framework reads the source from. */
const endpointFor = (topic: string) => `${functionUrl}/projects/${PROJECT_ID}/topics/${topic}`;

describe('Pub/Sub emulator: push to a functions-framework cloudEvent function', () => {
  it('wires a trigger with the real SDK and delivers the message as an Eventarc-style CloudEvent', async () => {
    await ensureTopicsAndPushSubscriptions(fixture.emulator.address, PROJECT_ID, [
      { topic: 'payments', subscription: 'payments-fn', pushEndpoint: endpointFor('payments') },
    ]);
    const payload = { bookingId: 'b-1', amount: 4200 };
    const id = await fixture.pubsub
      .topic('payments')
      .publishMessage({ json: payload, attributes: { type: 'payment.confirmed' } });

    await waitFor(() => received.length === 1);
    const [event] = received;
    expect(event).toMatchObject({
      id,
      specversion: '1.0',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: `//pubsub.googleapis.com/projects/${PROJECT_ID}/topics/payments`,
    });
    const message = event?.data?.message;
    expect(message?.attributes).toEqual({ type: 'payment.confirmed' });
    expect(message?.messageId).toBe(id);
    expect(JSON.parse(Buffer.from(message?.data ?? '', 'base64').toString('utf8'))).toEqual(payload);
  });

  it('a function that throws is retried until it succeeds', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    failuresToSimulate = 2;
    await ensureTopicsAndPushSubscriptions(fixture.emulator.address, PROJECT_ID, [
      {
        topic: 'payments',
        subscription: 'payments-fn',
        pushEndpoint: endpointFor('payments'),
        deadLetterTopic: 'payments-dlq',
        maxDeliveryAttempts: 10,
      },
    ]);
    const id = await fixture.pubsub.topic('payments').publishMessage({ data: Buffer.from('retry me') });

    await waitFor(() => received.length === 3);
    expect(received.map((event) => event.id)).toEqual([id, id, id]);
    expect(failuresToSimulate).toBe(0);
  });

  it('configures the subscriptions like the Eventarc triggers, idempotently', async () => {
    const spec = {
      topic: 'payments',
      subscription: 'payments-fn',
      pushEndpoint: 'http://127.0.0.1:9/old',
      deadLetterTopic: 'payments-dlq',
      orderingEnabled: true,
    };
    await ensureTopicsAndPushSubscriptions(fixture.emulator.address, PROJECT_ID, [spec]);
    await ensureTopicsAndPushSubscriptions(fixture.emulator.address, PROJECT_ID, [
      { ...spec, pushEndpoint: endpointFor('payments') },
    ]);

    const [metadata] = await fixture.pubsub.subscription('payments-fn').getMetadata();
    expect(metadata).toMatchObject({
      name: subscriptionName('payments-fn'),
      topic: topicName('payments'),
      pushConfig: { pushEndpoint: endpointFor('payments') },
      enableMessageOrdering: true,
      deadLetterPolicy: { deadLetterTopic: topicName('payments-dlq'), maxDeliveryAttempts: 5 },
      retryPolicy: { minimumBackoff: { seconds: '10' }, maximumBackoff: { seconds: '600' } },
    });
    expect((await fixture.pubsub.topic('payments-dlq').exists())[0]).toBe(true);
  });

  it('updates a kept subscription whose settings changed instead of leaving it stale', async () => {
    const spec = { topic: 'payments', subscription: 'payments-fn', pushEndpoint: endpointFor('payments') };
    await ensureTopicsAndPushSubscriptions(fixture.emulator.address, PROJECT_ID, [spec]);
    // Drift, as an earlier version of the trigger or a hand edit would leave it.
    await fixture.pubsub.subscription('payments-fn').setMetadata({
      ackDeadlineSeconds: 20,
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 5 } },
    });

    await ensureTopicsAndPushSubscriptions(fixture.emulator.address, PROJECT_ID, [
      { ...spec, deadLetterTopic: 'payments-dlq', maxDeliveryAttempts: 7 },
    ]);
    const [updated] = await fixture.pubsub.subscription('payments-fn').getMetadata();
    expect(updated).toMatchObject({
      ackDeadlineSeconds: 600,
      retryPolicy: { minimumBackoff: { seconds: '10' }, maximumBackoff: { seconds: '600' } },
      deadLetterPolicy: { deadLetterTopic: topicName('payments-dlq'), maxDeliveryAttempts: 7 },
    });

    await ensureTopicsAndPushSubscriptions(fixture.emulator.address, PROJECT_ID, [spec]);
    const [cleared] = await fixture.pubsub.subscription('payments-fn').getMetadata();
    expect(cleared.deadLetterPolicy).toBeNull();
  });

  it('recreates a kept subscription whose ordering changed, which Pub/Sub cannot update', async () => {
    const spec = { topic: 'payments', subscription: 'payments-fn', pushEndpoint: endpointFor('payments') };
    await ensureTopicsAndPushSubscriptions(fixture.emulator.address, PROJECT_ID, [spec]);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await ensureTopicsAndPushSubscriptions(fixture.emulator.address, PROJECT_ID, [
      { ...spec, orderingEnabled: true },
    ]);
    const [metadata] = await fixture.pubsub.subscription('payments-fn').getMetadata();
    expect(metadata.enableMessageOrdering).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('recreating payments-fn'));
  });
});
