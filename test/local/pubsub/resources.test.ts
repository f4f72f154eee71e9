import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { status } from '@grpc/grpc-js';
import { PubSub } from '@google-cloud/pubsub';
import { resetPubSubEmulator } from '../../../local/pubsub/admin-client';
import {
  describeConformance,
  failureCode,
  PROJECT_ID,
  subscriptionName,
  topicName,
} from './emulator-fixture';

const RESET = 'reset() wipes everything; the admin service does the same from another process';
const UNKNOWN_TOPIC_SUBSCRIPTIONS = 'listing the subscriptions of an unknown topic is NOT_FOUND';
const PUSH_VERSION = 'a push config without attributes gets x-goog-version: v1';
/**
 * Pub/Sub documents the range of max_delivery_attempts (5 to 100) but not the status of a value outside
 * it; Google's emulator answers OUT_OF_RANGE, and so does ours.
 */
const OUT_OF_RANGE_ATTEMPTS = status.OUT_OF_RANGE;

describeConformance(
  'Pub/Sub emulator: topics and subscriptions',
  (fixture, it) => {
    it('creates, gets, lists and deletes topics', async () => {
      const [topic] = await fixture.pubsub.createTopic({ name: 'orders', labels: { team: 'payments' } });
      expect(topic.name).toBe(topicName('orders'));
      await fixture.pubsub.createTopic('alerts');

      const [metadata] = await fixture.pubsub.topic('orders').getMetadata();
      expect(metadata).toMatchObject({ name: topicName('orders'), labels: { team: 'payments' } });
      const [topics] = await fixture.pubsub.getTopics();
      expect(topics.map((t) => t.name)).toEqual([topicName('alerts'), topicName('orders')]);

      await fixture.pubsub.topic('alerts').delete();
      expect((await fixture.pubsub.topic('alerts').exists())[0]).toBe(false);
      expect(await failureCode(fixture.pubsub.topic('alerts').delete())).toBe(status.NOT_FOUND);
    });

    it('pages through topics', async () => {
      for (const id of ['t-a', 't-b', 't-c']) await fixture.pubsub.createTopic(id);
      const [first, , firstResponse] = await fixture.publisherApi.listTopics(
        { project: `projects/${PROJECT_ID}`, pageSize: 2 },
        { autoPaginate: false },
      );
      expect(first.map((t) => t.name)).toEqual([topicName('t-a'), topicName('t-b')]);
      const [second] = await fixture.publisherApi.listTopics(
        { project: `projects/${PROJECT_ID}`, pageSize: 2, pageToken: firstResponse?.nextPageToken ?? '' },
        { autoPaginate: false },
      );
      expect(second.map((t) => t.name)).toEqual([topicName('t-c')]);
    });

    it('answers ALREADY_EXISTS for duplicates and NOT_FOUND for unknown resources', async () => {
      await fixture.pubsub.createTopic('orders');
      expect(await failureCode(fixture.pubsub.createTopic('orders'))).toBe(status.ALREADY_EXISTS);
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      expect(await failureCode(fixture.pubsub.topic('orders').createSubscription('orders-sub'))).toBe(
        status.ALREADY_EXISTS,
      );

      expect(await failureCode(fixture.pubsub.topic('nope').getMetadata())).toBe(status.NOT_FOUND);
      expect(await failureCode(fixture.pubsub.topic('nope').publishMessage({ data: Buffer.from('x') }))).toBe(
        status.NOT_FOUND,
      );
      expect(await failureCode(fixture.pubsub.topic('nope').createSubscription('s-1'))).toBe(
        status.NOT_FOUND,
      );
      expect(await failureCode(fixture.pubsub.subscription('nope').getMetadata())).toBe(status.NOT_FOUND);
      expect(await failureCode(fixture.pubsub.subscription('nope').delete())).toBe(status.NOT_FOUND);
    });

    it('rejects malformed resource names with INVALID_ARGUMENT', async () => {
      expect(await failureCode(fixture.pubsub.createTopic('1-starts-with-digit'))).toBe(
        status.INVALID_ARGUMENT,
      );
      expect(await failureCode(fixture.pubsub.createTopic('goog-reserved'))).toBe(status.INVALID_ARGUMENT);
      expect(await failureCode(fixture.pubsub.createTopic('ab'))).toBe(status.INVALID_ARGUMENT);
    });

    it('fills in subscription defaults and keeps the given policies', async () => {
      await fixture.pubsub.createTopic('orders');
      await fixture.pubsub.createTopic('orders-dlq');
      const [, plain] = await fixture.pubsub.topic('orders').createSubscription('plain');
      expect(plain).toMatchObject({
        name: subscriptionName('plain'),
        topic: topicName('orders'),
        ackDeadlineSeconds: 10,
        enableMessageOrdering: false,
        deadLetterPolicy: null,
        retryPolicy: null,
      });

      await fixture.pubsub.topic('orders').createSubscription('configured', {
        ackDeadlineSeconds: 30,
        enableMessageOrdering: true,
        pushConfig: { pushEndpoint: 'http://127.0.0.1:9/push' },
        deadLetterPolicy: { deadLetterTopic: topicName('orders-dlq') },
        retryPolicy: {},
      });
      const [configured] = await fixture.pubsub.subscription('configured').getMetadata();
      expect(configured).toMatchObject({
        ackDeadlineSeconds: 30,
        enableMessageOrdering: true,
        pushConfig: { pushEndpoint: 'http://127.0.0.1:9/push' },
        deadLetterPolicy: { deadLetterTopic: topicName('orders-dlq'), maxDeliveryAttempts: 5 },
        retryPolicy: { minimumBackoff: { seconds: '10' }, maximumBackoff: { seconds: '600' } },
      });
    });

    it('validates ack deadlines, dead-letter policies and retry policies', async () => {
      await fixture.pubsub.createTopic('orders');
      const create = (options: object) => fixture.pubsub.topic('orders').createSubscription('bad', options);
      expect(await failureCode(create({ ackDeadlineSeconds: 601 }))).toBe(status.INVALID_ARGUMENT);
      const dlq = topicName('orders');
      expect(
        await failureCode(create({ deadLetterPolicy: { deadLetterTopic: dlq, maxDeliveryAttempts: 4 } })),
      ).toBe(OUT_OF_RANGE_ATTEMPTS);
      expect(
        await failureCode(create({ deadLetterPolicy: { deadLetterTopic: dlq, maxDeliveryAttempts: 101 } })),
      ).toBe(OUT_OF_RANGE_ATTEMPTS);
      expect(await failureCode(create({ deadLetterPolicy: { deadLetterTopic: topicName('missing') } }))).toBe(
        status.NOT_FOUND,
      );
      const inverted = { minimumBackoff: { seconds: 60 }, maximumBackoff: { seconds: 10 } };
      expect(await failureCode(create({ retryPolicy: inverted }))).toBe(status.INVALID_ARGUMENT);
      expect(await failureCode(create({ pushConfig: { pushEndpoint: 'ftp://example.com' } }))).toBe(
        status.INVALID_ARGUMENT,
      );
    });

    it('lists subscriptions per project and per topic', async () => {
      await fixture.pubsub.createTopic('orders');
      await fixture.pubsub.createTopic('refunds');
      await fixture.pubsub.topic('orders').createSubscription('orders-b');
      await fixture.pubsub.topic('orders').createSubscription('orders-a');
      await fixture.pubsub.topic('refunds').createSubscription('refunds-a');

      const [all] = await fixture.pubsub.getSubscriptions();
      expect(all.map((s) => s.name)).toEqual([
        subscriptionName('orders-a'),
        subscriptionName('orders-b'),
        subscriptionName('refunds-a'),
      ]);
      const [ofOrders] = await fixture.pubsub.topic('orders').getSubscriptions();
      expect(ofOrders.map((s) => s.name)).toEqual([
        subscriptionName('orders-a'),
        subscriptionName('orders-b'),
      ]);
    });

    it(UNKNOWN_TOPIC_SUBSCRIPTIONS, async () => {
      expect(await failureCode(fixture.pubsub.topic('nope').getSubscriptions())).toBe(status.NOT_FOUND);
    });

    it(PUSH_VERSION, async () => {
      await fixture.pubsub.createTopic('orders');
      await fixture.pubsub.topic('orders').createSubscription('pushed', {
        pushConfig: { pushEndpoint: 'http://127.0.0.1:9/push' },
      });
      const [metadata] = await fixture.pubsub.subscription('pushed').getMetadata();
      expect(metadata.pushConfig?.attributes).toEqual({ 'x-goog-version': 'v1' });
    });

    it('keeps subscriptions of a deleted topic, detached as _deleted-topic_', async () => {
      await fixture.pubsub.createTopic('orders');
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      await fixture.pubsub.topic('orders').delete();
      const [metadata] = await fixture.pubsub.subscription('orders-sub').getMetadata();
      expect(metadata.topic).toBe('_deleted-topic_');
    });

    it(RESET, async () => {
      await fixture.pubsub.createTopic('orders');
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      fixture.emulator.reset();
      expect((await fixture.pubsub.getTopics())[0]).toEqual([]);
      expect((await fixture.pubsub.getSubscriptions())[0]).toEqual([]);

      await fixture.pubsub.createTopic('orders');
      await resetPubSubEmulator(fixture.emulator.address, 'another-project');
      expect((await fixture.pubsub.topic('orders').exists())[0]).toBe(true);
      await resetPubSubEmulator(fixture.emulator.address);
      expect((await fixture.pubsub.topic('orders').exists())[0]).toBe(false);
    });
  },
  {
    notOnGoogle: {
      [RESET]: "tests our emulator's own reset service, which Google's emulator does not have",
      [UNKNOWN_TOPIC_SUBSCRIPTIONS]:
        "Google's emulator lists nothing; production answers NOT_FOUND for a resource that does not exist (cloud.google.com/pubsub/docs/reference/error-codes)",
      [PUSH_VERSION]:
        "Google's emulator returns no attributes; production fills x-goog-version with the API version of the CreateSubscription call (PushConfig.attributes in google/pubsub/v1/pubsub.proto)",
    },
  },
);

describe('Pub/Sub emulator: command line', () => {
  it('announces its address, serves the SDK through PUBSUB_EMULATOR_HOST and stops on SIGTERM', async () => {
    const root = path.resolve(__dirname, '../../..');
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'local/pubsub/main.ts', '--port', '0'],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    const firstLine = await new Promise<string>((resolve) => lines.once('line', resolve));
    const address = /^pubsub emulator ready on (127\.0\.0\.1:\d+)$/.exec(firstLine)?.[1] ?? '';
    expect(address).not.toBe('');

    const previous = process.env.PUBSUB_EMULATOR_HOST;
    process.env.PUBSUB_EMULATOR_HOST = address;
    const pubsub = new PubSub({ projectId: PROJECT_ID });
    if (previous === undefined) delete process.env.PUBSUB_EMULATOR_HOST;
    else process.env.PUBSUB_EMULATOR_HOST = previous;
    expect(pubsub.isEmulator).toBe(true);

    await pubsub.createTopic('cli-topic');
    await resetPubSubEmulator(address);
    expect((await pubsub.topic('cli-topic').exists())[0]).toBe(false);
    await pubsub.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
