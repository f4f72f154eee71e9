import { status } from '@grpc/grpc-js';
import { Broker } from '../../../local/pubsub/broker';
import { PubSubError } from '../../../local/pubsub/errors';
import { timestampMs } from '../../../local/pubsub/time';

const DAY_MS = 24 * 3600 * 1000;
const PROJECT = 'projects/demo-expiry';
const TOPIC = `${PROJECT}/topics/orders`;
const SUBSCRIPTION = `${PROJECT}/subscriptions/orders-sub`;
const SNAPSHOT = `${PROJECT}/snapshots/orders-snap`;

/** A broker on a clock the test moves, with one topic and one pull subscription. */
function brokerAt(startMs: number) {
  const clock = { nowMs: startMs };
  const broker = new Broker(0, () => clock.nowMs);
  broker.createTopic({ name: TOPIC });
  broker.createSubscription({ name: SUBSCRIPTION, topic: TOPIC });
  return { broker, clock };
}

function codeOf(action: () => unknown): status | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof PubSubError) return error.code;
    throw error;
  }
}

// Pub/Sub's Snapshot.expire_time: "the lifetime of the snapshot is 7 days - (age of oldest unacked
// message in the subscription)", and "the service will refuse to create a snapshot that would expire in
// less than 1 hour after creation". These cases need days to pass, so they run on our broker's clock only.
describe('snapshot expiry', () => {
  const start = Date.UTC(2026, 0, 1);
  let brokers: Broker[] = [];
  afterEach(() => {
    for (const broker of brokers) broker.close();
    brokers = [];
  });

  it('expires 7 days after the oldest unacknowledged message was published, then is gone', () => {
    const { broker, clock } = brokerAt(start);
    brokers.push(broker);
    broker.publish(TOPIC, [{ data: Buffer.from('first') }]);
    clock.nowMs = start + 3 * DAY_MS;
    const created = broker.createSnapshot(SNAPSHOT, SUBSCRIPTION, undefined);
    expect(timestampMs(created.expireTime ?? {})).toBe(start + 7 * DAY_MS);

    clock.nowMs = start + 7 * DAY_MS - 1;
    expect(broker.getSnapshot(SNAPSHOT).name).toBe(SNAPSHOT);
    clock.nowMs = start + 7 * DAY_MS;
    expect(codeOf(() => broker.getSnapshot(SNAPSHOT))).toBe(status.NOT_FOUND);
    expect(broker.listSnapshots(PROJECT).items).toEqual([]);
    expect(codeOf(() => broker.seek(SUBSCRIPTION, { snapshot: SNAPSHOT }))).toBe(status.NOT_FOUND);
    // The name is free again, but the backlog is as old as ever.
    expect(codeOf(() => broker.createSnapshot(SNAPSHOT, SUBSCRIPTION, undefined))).toBe(
      status.FAILED_PRECONDITION,
    );
  });

  it('of an empty backlog lasts 7 days from its creation', () => {
    const { broker } = brokerAt(start);
    brokers.push(broker);
    const created = broker.createSnapshot(SNAPSHOT, SUBSCRIPTION, undefined);
    expect(timestampMs(created.expireTime ?? {})).toBe(start + 7 * DAY_MS);
  });

  it('is refused with FAILED_PRECONDITION when it would expire within the hour', () => {
    const { broker, clock } = brokerAt(start);
    brokers.push(broker);
    broker.publish(TOPIC, [{ data: Buffer.from('old') }]);
    clock.nowMs = start + 7 * DAY_MS - 59 * 60_000;
    expect(codeOf(() => broker.createSnapshot(SNAPSHOT, SUBSCRIPTION, undefined))).toBe(
      status.FAILED_PRECONDITION,
    );
    expect(broker.listSnapshots(PROJECT).items).toEqual([]);
    clock.nowMs = start + 7 * DAY_MS - 61 * 60_000;
    expect(broker.createSnapshot(SNAPSHOT, SUBSCRIPTION, undefined).name).toBe(SNAPSHOT);
  });
});
