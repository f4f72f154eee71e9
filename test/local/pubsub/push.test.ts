import { subscriptionName, topicName, usePubSubEmulator, waitFor, sleep } from './emulator-fixture';
import { type PushEndpoint, startPushEndpoint } from './push-endpoint';

/** Backoffs of 10 s to 600 s become 10 ms to 6 s. */
const BACKOFF_SCALE = 0.001;
const fixture = usePubSubEmulator({ backoffScale: BACKOFF_SCALE });

const endpoints: PushEndpoint[] = [];
async function endpoint(respond: Parameters<typeof startPushEndpoint>[0]): Promise<PushEndpoint> {
  const started = await startPushEndpoint(respond);
  endpoints.push(started);
  return started;
}

afterEach(async () => {
  fixture.emulator.reset();
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});

describe('Pub/Sub emulator: push delivery', () => {
  beforeEach(async () => {
    await fixture.pubsub.createTopic('orders');
  });

  it('POSTs the documented push JSON and takes 2xx as an acknowledgement', async () => {
    const push = await endpoint(() => 204);
    await fixture.pubsub.topic('orders').createSubscription('orders-push', {
      pushConfig: { pushEndpoint: `${push.url}/push?token=abc` },
    });
    const id = await fixture.pubsub.topic('orders', { messageOrdering: true }).publishMessage({
      data: Buffer.from('{"bookingId":"b1"}'),
      attributes: { kind: 'paid' },
      orderingKey: 'b1',
    });

    await waitFor(() => push.requests.length === 1);
    const [request] = push.requests;
    expect(request?.path).toBe('/push?token=abc');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      message: {
        data: Buffer.from('{"bookingId":"b1"}').toString('base64'),
        attributes: { kind: 'paid' },
        messageId: id,
        message_id: id,
        publishTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        publish_time: expect.stringMatching(/Z$/),
        orderingKey: 'b1',
      },
      subscription: subscriptionName('orders-push'),
    });
    await sleep(200);
    expect(push.requests).toHaveLength(1);
  });

  it('retries a failing endpoint with exponential backoff between the retry policy bounds', async () => {
    const statuses = [500, 429, 201];
    const push = await endpoint(() => statuses.shift() ?? 200);
    await fixture.pubsub.topic('orders').createSubscription('orders-push', {
      pushConfig: { pushEndpoint: push.url },
      retryPolicy: { minimumBackoff: { seconds: 100 }, maximumBackoff: { seconds: 600 } },
    });
    await fixture.pubsub.topic('orders').publishMessage({ data: Buffer.from('retry') });

    await waitFor(() => push.requests.length === 3);
    await sleep(300);
    expect(push.requests).toHaveLength(3);
    const ids = push.requests.map((r) => r.body.message.messageId);
    expect(new Set(ids).size).toBe(1);
    const [first, second, third] = push.requests.map((r) => r.receivedAt);
    // 100 s then 200 s, scaled by 0.001; timers may fire a little early but never much.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(95);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(195);
    expect(push.requests.every((r) => !('deliveryAttempt' in r.body))).toBe(true);
  });

  it('dead-letters after max_delivery_attempts with the delivery attempt on every push', async () => {
    await fixture.pubsub.createTopic('orders-dlq');
    await fixture.pubsub.topic('orders-dlq').createSubscription('dlq-sub');
    const push = await endpoint(() => 503);
    await fixture.pubsub.topic('orders').createSubscription('orders-push', {
      pushConfig: { pushEndpoint: push.url },
      deadLetterPolicy: { deadLetterTopic: topicName('orders-dlq'), maxDeliveryAttempts: 5 },
      retryPolicy: {},
    });
    await fixture.pubsub
      .topic('orders')
      .publishMessage({ data: Buffer.from('poison'), attributes: { a: '1' } });

    await waitFor(() => push.requests.length === 5);
    expect(push.requests.map((r) => r.body.deliveryAttempt)).toEqual([1, 2, 3, 4, 5]);
    const [pulled] = await fixture.subscriberApi.pull({
      subscription: subscriptionName('dlq-sub'),
      maxMessages: 5,
    });
    const dead = pulled.receivedMessages ?? [];
    expect(dead).toHaveLength(1);
    expect(Buffer.from(dead[0]?.message?.data ?? '').toString()).toBe('poison');
    expect(dead[0]?.message?.attributes).toMatchObject({
      a: '1',
      CloudPubSubDeadLetterSourceDeliveryCount: '5',
      CloudPubSubDeadLetterSourceSubscription: 'orders-push',
      CloudPubSubDeadLetterSourceDeliveryErrorMessage: expect.stringContaining('503'),
    });
    await sleep(200);
    expect(push.requests).toHaveLength(5);
  });

  it('ModifyPushConfig turns a push subscription into a pull subscription and back', async () => {
    const push = await endpoint(() => 200);
    await fixture.pubsub.topic('orders').createSubscription('switching');
    const subscription = fixture.pubsub.subscription('switching');
    await subscription.modifyPushConfig({ pushEndpoint: push.url });
    await fixture.pubsub.topic('orders').publishMessage({ data: Buffer.from('pushed') });
    await waitFor(() => push.requests.length === 1);

    await subscription.modifyPushConfig({});
    expect((await subscription.getMetadata())[0].pushConfig?.pushEndpoint).toBe('');
    await fixture.pubsub.topic('orders').publishMessage({ data: Buffer.from('pulled') });
    const [pulled] = await fixture.subscriberApi.pull({
      subscription: subscriptionName('switching'),
      maxMessages: 5,
    });
    expect(pulled.receivedMessages?.map((r) => Buffer.from(r.message?.data ?? '').toString())).toEqual([
      'pulled',
    ]);
    expect(push.requests).toHaveLength(1);
  });

  it('UpdateSubscription applies a new dead-letter policy and push endpoint to the next deliveries', async () => {
    const failing = await endpoint(() => 500);
    await fixture.pubsub.createTopic('orders-dlq');
    await fixture.pubsub.topic('orders-dlq').createSubscription('dlq-sub');
    await fixture.pubsub.topic('orders').createSubscription('updated', {
      retryPolicy: { minimumBackoff: { seconds: 10 }, maximumBackoff: { seconds: 10 } },
    });
    await fixture.pubsub.subscription('updated').setMetadata({
      pushConfig: { pushEndpoint: failing.url },
      deadLetterPolicy: { deadLetterTopic: topicName('orders-dlq'), maxDeliveryAttempts: 5 },
    });
    await fixture.pubsub.topic('orders').publishMessage({ data: Buffer.from('poison') });

    await waitFor(() => failing.requests.length === 5);
    expect(failing.requests.map((r) => (r.body as { deliveryAttempt?: number }).deliveryAttempt)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    const [dead] = await fixture.subscriberApi.pull({
      subscription: subscriptionName('dlq-sub'),
      maxMessages: 1,
    });
    expect(Buffer.from(dead.receivedMessages?.[0]?.message?.data ?? '').toString()).toBe('poison');
  });
});
