import { status } from '@grpc/grpc-js';
import { setPubSubDeliveryFaults } from '../../../local/pubsub/admin-client';
import {
  DeliveryFaultInjector,
  type DeliveryFaultSettingsInput,
  deliveryFaultSettingsSchema,
  type InjectedDeliveryFaults,
  parseDeliveryFaults,
} from '../../../local/pubsub/delivery-faults';
import type { StoredMessage } from '../../../local/pubsub/messages';
import { failureCode, sleep, usePubSubEmulator, waitFor } from './emulator-fixture';
import { type PushEndpoint, startPushEndpoint } from './push-endpoint';

const fixture = usePubSubEmulator({ backoffScale: 0.001 });

const endpoints: PushEndpoint[] = [];

function setFaults(faults: DeliveryFaultSettingsInput): Promise<InjectedDeliveryFaults> {
  return setPubSubDeliveryFaults(fixture.emulator.address, faults);
}

/** A topic `orders` with a push subscription to an endpoint that acknowledges everything. */
async function pushSubscription(): Promise<PushEndpoint> {
  const push = await startPushEndpoint(() => 204);
  endpoints.push(push);
  await fixture.pubsub.createTopic('orders');
  await fixture.pubsub.topic('orders').createSubscription('orders-push', {
    pushConfig: { pushEndpoint: push.url },
  });
  return push;
}

function publish(data: string): Promise<string> {
  return fixture.pubsub.topic('orders').publishMessage({ data: Buffer.from(data) });
}

/** How many times the endpoint received each message id. */
function deliveriesPerMessage(endpoint: PushEndpoint): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of endpoint.requests) {
    const id = request.body.message.messageId;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function storedMessage(data: string): StoredMessage {
  return {
    id: '1',
    data: Buffer.from(data),
    attributes: {},
    orderingKey: '',
    publishTimeMs: 0,
    size: data.length,
  };
}

afterEach(async () => {
  await setFaults({});
  fixture.emulator.reset();
  await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.close()));
});

describe('Pub/Sub emulator: delivery faults', () => {
  it('injects nothing by default: one push per message', async () => {
    const endpoint = await pushSubscription();
    const ids = await Promise.all(['a', 'b', 'c'].map(publish));
    await waitFor(() => endpoint.requests.length === 3);
    await sleep(200);
    expect([...deliveriesPerMessage(endpoint)]).toEqual(expect.arrayContaining(ids.map((id) => [id, 1])));
    expect(endpoint.requests).toHaveLength(3);
  });

  it('delivers an acknowledged message again, the same message id, as at-least-once allows', async () => {
    await setFaults({ duplicateFraction: 1, dataContains: 'dup-me' });
    const endpoint = await pushSubscription();
    const duplicated = await publish('{"dup-me":1}');
    const plain = await publish('{"other":1}');
    // Every duplicate draws again, so with fraction 1 the message keeps coming back.
    await waitFor(() => (deliveriesPerMessage(endpoint).get(duplicated) ?? 0) >= 3);
    const injected = await setFaults({});
    await sleep(300);
    expect(deliveriesPerMessage(endpoint).get(plain)).toBe(1);
    // Each duplicate the faults reported is one more push; none after they were turned off.
    expect(injected).toMatchObject({ duplicated: expect.any(Number), delayed: 0 });
    expect(deliveriesPerMessage(endpoint).get(duplicated)).toBe(injected.duplicated + 1);
    const ids = new Set(endpoint.requests.map((request) => request.body.message.messageId));
    expect([...ids].sort()).toEqual([duplicated, plain].sort());
  });

  it('holds a delivery back for delayMs', async () => {
    await setFaults({ delayFraction: 1, delayMs: 700 });
    const endpoint = await pushSubscription();
    const published = Date.now();
    await publish('late');
    await sleep(400);
    expect(endpoint.requests).toHaveLength(0);
    await waitFor(() => endpoint.requests.length === 1);
    expect((endpoint.requests[0]?.receivedAt ?? 0) - published).toBeGreaterThanOrEqual(650);
    expect(await setFaults({})).toEqual({ duplicated: 0, delayed: 1 });
  });

  it('draws the same duplicates and delays again for the same seed, whatever else is delivered', () => {
    const injector = new DeliveryFaultInjector();
    const settings = deliveryFaultSettingsSchema.parse({
      duplicateFraction: 0.5,
      delayFraction: 0.5,
      delayMs: 100,
      dataContains: 'evt-1',
      seed: 11,
    });
    const ours = storedMessage('{"eventId":"evt-1"}');
    const theirs = storedMessage('{"eventId":"evt-2"}');
    const decisions = (interleaveOthers: boolean): string[] => {
      injector.configure(settings);
      return Array.from({ length: 40 }, () => {
        // Messages that do not match are never faulted and take no draws.
        if (interleaveOthers)
          expect([injector.duplicate(theirs), injector.delayMs(theirs)]).toEqual([false, 0]);
        return `${injector.duplicate(ours)}/${injector.delayMs(ours)}`;
      });
    };
    const first = decisions(false);
    expect(decisions(true)).toEqual(first);
    expect(new Set(first).size).toBe(4);
    expect(injector.configure(settings)).toEqual({
      duplicated: first.filter((decision) => decision.startsWith('true')).length,
      delayed: first.filter((decision) => decision.endsWith('/100')).length,
    });
  });

  it('refuses invalid settings at run time and from JSON', async () => {
    expect(await failureCode(setFaults({ duplicateFraction: 2 }))).toBe(status.INVALID_ARGUMENT);
    expect(() => parseDeliveryFaults('{"delayFraction":0.5,"delayMs":-1}')).toThrow();
    expect(parseDeliveryFaults('{"delayFraction":0.1,"delayMs":250}')).toEqual({
      duplicateFraction: 0,
      delayFraction: 0.1,
      delayMs: 250,
      seed: 1,
    });
  });
});
