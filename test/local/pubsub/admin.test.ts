import { status } from '@grpc/grpc-js';
import {
  describeConformance,
  type EmulatorFixture,
  failureCode,
  PROJECT_ID,
  snapshotName,
  subscriptionName,
  topicName,
} from './emulator-fixture';

/** The fixture of the run in progress (ours, then Google's), for the helpers below. */
let fixture: EmulatorFixture;

/** Pulls what is there now (return_immediately), returning the texts and ack ids. */
async function pullNow(sub: string): Promise<{ texts: string[]; ackIds: string[] }> {
  const [response] = await fixture.subscriberApi.pull({
    subscription: subscriptionName(sub),
    maxMessages: 100,
    returnImmediately: true,
  });
  const received = response.receivedMessages ?? [];
  return {
    texts: received.map((r) => Buffer.from(r.message?.data ?? '').toString()).sort(),
    ackIds: received.map((r) => r.ackId ?? ''),
  };
}

/** Pulls and acknowledges everything there is now; returns the texts. */
async function drain(sub: string): Promise<string[]> {
  const { texts, ackIds } = await pullNow(sub);
  if (ackIds.length > 0) {
    await fixture.subscriberApi.acknowledge({ subscription: subscriptionName(sub), ackIds });
  }
  return texts;
}

async function publish(topic: string, ...texts: string[]): Promise<void> {
  for (const text of texts) await fixture.pubsub.topic(topic).publishMessage({ data: Buffer.from(text) });
}

const UPDATE_LABELS = 'UpdateSubscription replaces the labels';
const DETACH = 'DetachSubscription stops delivery: the subscription stays, detached, and pulls fail';
const UPDATE_TOPIC = 'UpdateTopic changes the labels named in the mask';
const UPDATE_TOPIC_ERRORS = 'UpdateTopic needs a mask and an existing topic';
const SEEK_ENDS_LEASES = 'after a Seek, an ack id handed out before it settles nothing';
const UPDATE_SNAPSHOT =
  'UpdateSnapshot sets the labels named in the mask; other fields and unknown snapshots fail';
const SEEK_FUTURE = 'Seek to a time acknowledges the messages published before it';

describeConformance(
  'Pub/Sub emulator: admin surface',
  (target, it) => {
    beforeAll(() => {
      fixture = target;
    });
    beforeEach(async () => {
      await fixture.pubsub.createTopic('orders');
      await fixture.pubsub.createTopic('orders-dlq');
    });

    it('UpdateSubscription changes only the fields named in the mask', async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub', {
        ackDeadlineSeconds: 20,
        retryPolicy: { minimumBackoff: { seconds: 10 }, maximumBackoff: { seconds: 600 } },
      });
      const [updated] = await fixture.subscriberApi.updateSubscription({
        subscription: {
          name: subscriptionName('orders-sub'),
          ackDeadlineSeconds: 45,
          // Not in the mask, so ignored.
          retryPolicy: { minimumBackoff: { seconds: 30 }, maximumBackoff: { seconds: 60 } },
        },
        updateMask: { paths: ['ack_deadline_seconds'] },
      });
      expect(updated).toMatchObject({ ackDeadlineSeconds: 45 });
      const [metadata] = await fixture.pubsub.subscription('orders-sub').getMetadata();
      expect(metadata).toMatchObject({
        topic: topicName('orders'),
        ackDeadlineSeconds: 45,
        retryPolicy: { minimumBackoff: { seconds: '10' }, maximumBackoff: { seconds: '600' } },
      });
    });

    it(UPDATE_LABELS, async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub', { labels: { team: 'payments' } });
      await fixture.pubsub.subscription('orders-sub').setMetadata({ labels: { team: 'tickets' } });
      const [metadata] = await fixture.pubsub.subscription('orders-sub').getMetadata();
      expect(metadata.labels).toEqual({ team: 'tickets' });
    });

    it('UpdateSubscription sets and clears retry, dead-letter, push and retention settings', async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      // The SDK's setMetadata masks exactly the keys it is given.
      await fixture.pubsub.subscription('orders-sub').setMetadata({
        retryPolicy: { minimumBackoff: { seconds: 20 }, maximumBackoff: { seconds: 300 } },
        deadLetterPolicy: { deadLetterTopic: topicName('orders-dlq'), maxDeliveryAttempts: 7 },
        pushConfig: { pushEndpoint: 'http://127.0.0.1:9/push' },
        messageRetentionDuration: { seconds: 3600 },
      });
      const [set] = await fixture.pubsub.subscription('orders-sub').getMetadata();
      expect(set).toMatchObject({
        ackDeadlineSeconds: 10,
        retryPolicy: { minimumBackoff: { seconds: '20' }, maximumBackoff: { seconds: '300' } },
        deadLetterPolicy: { deadLetterTopic: topicName('orders-dlq'), maxDeliveryAttempts: 7 },
        pushConfig: { pushEndpoint: 'http://127.0.0.1:9/push' },
        messageRetentionDuration: { seconds: '3600' },
      });

      await fixture.subscriberApi.updateSubscription({
        subscription: { name: subscriptionName('orders-sub') },
        updateMask: { paths: ['retry_policy', 'dead_letter_policy', 'push_config'] },
      });
      const [cleared] = await fixture.pubsub.subscription('orders-sub').getMetadata();
      expect(cleared).toMatchObject({
        retryPolicy: null,
        deadLetterPolicy: null,
        pushConfig: { pushEndpoint: '' },
      });
    });

    it('UpdateSubscription rejects an empty mask, immutable or invalid fields, and unknown resources', async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      const update = (subscription: object, paths: string[]) =>
        fixture.subscriberApi.updateSubscription({
          subscription: { name: subscriptionName('orders-sub'), ...subscription },
          updateMask: { paths },
        });
      expect(await failureCode(update({ ackDeadlineSeconds: 30 }, []))).toBe(status.INVALID_ARGUMENT);
      expect(await failureCode(update({ ackDeadlineSeconds: 601 }, ['ack_deadline_seconds']))).toBe(
        status.INVALID_ARGUMENT,
      );
      expect(await failureCode(update({ enableMessageOrdering: true }, ['enable_message_ordering']))).toBe(
        status.INVALID_ARGUMENT,
      );
      expect(
        await failureCode(
          update({ deadLetterPolicy: { deadLetterTopic: topicName('missing') } }, ['dead_letter_policy']),
        ),
      ).toBe(status.NOT_FOUND);
      expect(
        await failureCode(
          fixture.subscriberApi.updateSubscription({
            subscription: { name: subscriptionName('missing'), ackDeadlineSeconds: 30 },
            updateMask: { paths: ['ack_deadline_seconds'] },
          }),
        ),
      ).toBe(status.NOT_FOUND);
      const [unchanged] = await fixture.pubsub.subscription('orders-sub').getMetadata();
      expect(unchanged.ackDeadlineSeconds).toBe(10);
    });

    it(UPDATE_TOPIC, async () => {
      await fixture.pubsub.topic('orders').setMetadata({ labels: { team: 'tickets' } });
      const [metadata] = await fixture.pubsub.topic('orders').getMetadata();
      expect(metadata.labels).toEqual({ team: 'tickets' });
    });

    it(UPDATE_TOPIC_ERRORS, async () => {
      expect(
        await failureCode(
          fixture.publisherApi.updateTopic({
            topic: { name: topicName('orders'), labels: { a: 'b' } },
            updateMask: { paths: [] },
          }),
        ),
      ).toBe(status.INVALID_ARGUMENT);
      expect(await failureCode(fixture.pubsub.topic('missing').setMetadata({ labels: { a: 'b' } }))).toBe(
        status.NOT_FOUND,
      );
    });

    it(DETACH, async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      await publish('orders', 'before');
      await fixture.pubsub.detachSubscription('orders-sub');

      expect((await fixture.pubsub.subscription('orders-sub').detached())[0]).toBe(true);
      const [metadata] = await fixture.pubsub.subscription('orders-sub').getMetadata();
      expect(metadata.detached).toBe(true);
      await publish('orders', 'after');
      expect(await failureCode(pullNow('orders-sub'))).toBe(status.FAILED_PRECONDITION);
      expect(await failureCode(fixture.pubsub.detachSubscription('missing'))).toBe(status.NOT_FOUND);
    });

    it('CreateSnapshot, ListSnapshots and DeleteSnapshot manage snapshots of a subscription', async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      const [snapshot] = await fixture.pubsub.subscription('orders-sub').createSnapshot('orders-snap');
      expect(snapshot.name).toBe(snapshotName('orders-snap'));
      const [listed] = await fixture.subscriberApi.listSnapshots({ project: `projects/${PROJECT_ID}` });
      expect(listed.map((s) => [s.name, s.topic])).toEqual([
        [snapshotName('orders-snap'), topicName('orders')],
      ]);
      expect(listed[0]?.expireTime?.seconds).toBeDefined();

      expect(await failureCode(fixture.pubsub.subscription('orders-sub').createSnapshot('orders-snap'))).toBe(
        status.ALREADY_EXISTS,
      );
      expect(await failureCode(fixture.pubsub.subscription('missing').createSnapshot('other-snap'))).toBe(
        status.NOT_FOUND,
      );
      await fixture.pubsub.snapshot('orders-snap').delete();
      expect((await fixture.pubsub.getSnapshots())[0]).toEqual([]);
      expect(await failureCode(fixture.pubsub.snapshot('orders-snap').delete())).toBe(status.NOT_FOUND);
    });

    it('Seek to a snapshot redelivers what was unacknowledged then and what was published since', async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      await publish('orders', 'acked-before');
      expect(await drain('orders-sub')).toEqual(['acked-before']);
      await publish('orders', 'pending');
      await fixture.pubsub.subscription('orders-sub').createSnapshot('orders-snap');
      await publish('orders', 'after');
      expect(await drain('orders-sub')).toEqual(['after', 'pending']);

      await fixture.pubsub.subscription('orders-sub').seek('orders-snap');
      expect(await drain('orders-sub')).toEqual(['after', 'pending']);
      expect(await failureCode(fixture.pubsub.subscription('orders-sub').seek('missing-snap'))).toBe(
        status.NOT_FOUND,
      );
    });

    it('Seek to a past time redelivers acknowledged messages only with retain_acked_messages', async () => {
      await fixture.pubsub.topic('orders').createSubscription('retaining', { retainAckedMessages: true });
      await fixture.pubsub.topic('orders').createSubscription('forgetting');
      const start = new Date(Date.now() - 1000);
      await publish('orders', 'one', 'two');
      expect(await drain('retaining')).toEqual(['one', 'two']);
      expect(await drain('forgetting')).toEqual(['one', 'two']);

      await fixture.pubsub.subscription('retaining').seek(start);
      await fixture.pubsub.subscription('forgetting').seek(start);
      expect(await drain('retaining')).toEqual(['one', 'two']);
      expect(await drain('forgetting')).toEqual([]);
    });

    it('GetSnapshot returns a snapshot; Seek refuses a snapshot of another topic and unknown resources', async () => {
      await fixture.pubsub.createTopic('refunds');
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      await fixture.pubsub.topic('refunds').createSubscription('refunds-sub');
      await fixture.pubsub.subscription('refunds-sub').createSnapshot('refunds-snap');

      const [snapshot] = await fixture.subscriberApi.getSnapshot({ snapshot: snapshotName('refunds-snap') });
      expect(snapshot).toMatchObject({ name: snapshotName('refunds-snap'), topic: topicName('refunds') });
      expect(
        await failureCode(fixture.subscriberApi.getSnapshot({ snapshot: snapshotName('missing-snap') })),
      ).toBe(status.NOT_FOUND);
      expect(await failureCode(fixture.pubsub.subscription('orders-sub').seek('refunds-snap'))).toBe(
        status.FAILED_PRECONDITION,
      );
      expect(await failureCode(fixture.pubsub.subscription('missing').seek(new Date()))).toBe(
        status.NOT_FOUND,
      );
    });

    it(SEEK_ENDS_LEASES, async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      const start = new Date(Date.now() - 1000);
      await publish('orders', 'leased');
      const before = await pullNow('orders-sub');
      expect(before.texts).toEqual(['leased']);

      await fixture.pubsub.subscription('orders-sub').seek(start);
      await fixture.subscriberApi.acknowledge({
        subscription: subscriptionName('orders-sub'),
        ackIds: before.ackIds,
      });
      expect(await drain('orders-sub')).toEqual(['leased']);
    });

    it(UPDATE_SNAPSHOT, async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      await fixture.pubsub.subscription('orders-sub').createSnapshot('orders-snap');
      const [updated] = await fixture.subscriberApi.updateSnapshot({
        snapshot: { name: snapshotName('orders-snap'), labels: { team: 'tickets' } },
        updateMask: { paths: ['labels'] },
      });
      expect(updated).toMatchObject({ name: snapshotName('orders-snap'), labels: { team: 'tickets' } });
      const [read] = await fixture.subscriberApi.getSnapshot({ snapshot: snapshotName('orders-snap') });
      expect(read.labels).toEqual({ team: 'tickets' });
      expect(read.topic).toBe(topicName('orders'));
      expect(
        await failureCode(
          fixture.subscriberApi.updateSnapshot({
            snapshot: { name: snapshotName('orders-snap'), topic: topicName('refunds') },
            updateMask: { paths: ['topic'] },
          }),
        ),
      ).toBe(status.INVALID_ARGUMENT);
      expect(
        await failureCode(
          fixture.subscriberApi.updateSnapshot({
            snapshot: { name: snapshotName('missing-snap'), labels: {} },
            updateMask: { paths: ['labels'] },
          }),
        ),
      ).toBe(status.NOT_FOUND);
    });

    it(SEEK_FUTURE, async () => {
      await fixture.pubsub.topic('orders').createSubscription('orders-sub');
      await publish('orders', 'old');
      await fixture.pubsub.subscription('orders-sub').seek(new Date(Date.now() + 1000));
      expect(await drain('orders-sub')).toEqual([]);
    });
  },
  {
    notOnGoogle: {
      [UPDATE_LABELS]:
        "Google's emulator refuses `labels` as an update_mask path; production updates a subscription's labels (cloud.google.com/pubsub/docs/labels)",
      [DETACH]:
        "Google's emulator answers UNIMPLEMENTED; production detaches (cloud.google.com/pubsub/docs/detach-subscriptions)",
      [UPDATE_SNAPSHOT]:
        "Google's emulator answers UNIMPLEMENTED; production updates a snapshot's labels (Subscriber.UpdateSnapshot, cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1)",
      [UPDATE_TOPIC]:
        "Google's emulator does not support UpdateTopic (known limitations, cloud.google.com/pubsub/docs/emulator)",
      [UPDATE_TOPIC_ERRORS]:
        "Google's emulator does not support UpdateTopic (known limitations, cloud.google.com/pubsub/docs/emulator)",
    },
  },
);
