import { PubSub, v1 } from '@google-cloud/pubsub';
import {
  type PubSubEmulatorOptions,
  type RunningPubSubEmulator,
  startPubSubEmulator,
} from '../../../local/pubsub/server';

export const PROJECT_ID = 'demo-conformance';

/** Full resource names in the conformance project. */
export const topicName = (id: string): string => `projects/${PROJECT_ID}/topics/${id}`;
export const subscriptionName = (id: string): string => `projects/${PROJECT_ID}/subscriptions/${id}`;

/** The emulator and SDK clients of one test file, valid between its beforeAll and afterAll. */
export interface EmulatorFixture {
  readonly emulator: RunningPubSubEmulator;
  /** The SDK's handwritten client, pointed at the emulator the way applications do (apiEndpoint). */
  readonly pubsub: PubSub;
  /** The SDK's generated clients, for RPCs the handwritten layer does not expose (Pull) or checks itself. */
  readonly publisherApi: v1.PublisherClient;
  readonly subscriberApi: v1.SubscriberClient;
}

/**
 * Starts an emulator on a free port for the calling test file (beforeAll), wipes it before every test and
 * stops it with its clients afterwards.
 */
export function usePubSubEmulator(options: PubSubEmulatorOptions = {}): EmulatorFixture {
  let state: EmulatorFixture | undefined;

  beforeAll(async () => {
    const emulator = await startPubSubEmulator({ host: '127.0.0.1', port: 0, ...options });
    const pubsub = new PubSub({ projectId: PROJECT_ID, apiEndpoint: emulator.address });
    // The handwritten client has resolved emulator mode (endpoint and insecure credentials): reuse it.
    const clientOptions = { ...pubsub.options, port: emulator.port };
    state = {
      emulator,
      pubsub,
      publisherApi: new v1.PublisherClient(clientOptions),
      subscriberApi: new v1.SubscriberClient(clientOptions),
    };
  });
  beforeEach(() => state?.emulator.reset());
  afterAll(async () => {
    if (!state) return;
    await Promise.all([state.pubsub.close(), state.publisherApi.close(), state.subscriberApi.close()]);
    await state.emulator.stop();
  });

  const required = (): EmulatorFixture => {
    if (!state) throw new Error('The emulator is not running yet (use it inside tests).');
    return state;
  };
  return {
    get emulator() {
      return required().emulator;
    },
    get pubsub() {
      return required().pubsub;
    },
    get publisherApi() {
      return required().publisherApi;
    },
    get subscriberApi() {
      return required().subscriberApi;
    },
  };
}

/** The gRPC status code of a failure (the SDK's errors carry it as `code`). */
export async function failureCode(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
      return error.code;
    }
    throw error;
  }
  throw new Error('Expected the operation to fail, but it succeeded.');
}

/** Resolves once `condition` holds, polling every few milliseconds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
