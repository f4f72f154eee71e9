import { randomBytes } from 'node:crypto';
import { PubSub, v1 } from '@google-cloud/pubsub';
import {
  type PubSubEmulatorOptions,
  type RunningPubSubEmulator,
  startPubSubEmulator,
} from '../../../local/pubsub/server';
import { conformanceSuites, type TargetName } from '../../support/conformance';
import {
  type GoogleEmulator,
  googleEmulatorForFile,
  googleEmulatorGcloud,
} from '../../support/google-emulator';

/** A project of the file's own: Google's emulator is shared by every file of a run. */
export const PROJECT_ID = `demo-conformance-${randomBytes(4).toString('hex')}`;
const PROJECT = `projects/${PROJECT_ID}`;

/** Full resource names in the conformance project. */
export const topicName = (id: string): string => `projects/${PROJECT_ID}/topics/${id}`;
export const subscriptionName = (id: string): string => `projects/${PROJECT_ID}/subscriptions/${id}`;
export const snapshotName = (id: string): string => `projects/${PROJECT_ID}/snapshots/${id}`;

/** The emulator and SDK clients of one test file, valid between its beforeAll and afterAll. */
export interface EmulatorFixture {
  readonly target: TargetName;
  /** `host:port` of the emulator under test. */
  readonly address: string;
  /** Our emulator's handle (reset, stop); only for tests that run on our emulator alone. */
  readonly emulator: RunningPubSubEmulator;
  /** The SDK's handwritten client, pointed at the emulator the way applications do (apiEndpoint). */
  readonly pubsub: PubSub;
  /** The SDK's generated clients, for RPCs the handwritten layer does not expose (Pull) or checks itself. */
  readonly publisherApi: v1.PublisherClient;
  readonly subscriberApi: v1.SubscriberClient;
  /** Deletes every snapshot, subscription and topic of the conformance project. */
  reset(): Promise<void>;
}

interface FixtureState extends Omit<EmulatorFixture, 'target' | 'emulator'> {
  readonly ours: RunningPubSubEmulator | undefined;
  close(): Promise<void>;
}

async function connect(
  address: string,
  port: number,
): Promise<Omit<FixtureState, 'ours' | 'close' | 'reset'>> {
  const pubsub = new PubSub({ projectId: PROJECT_ID, apiEndpoint: address });
  // The handwritten client has resolved emulator mode (endpoint and insecure credentials): reuse it.
  const clientOptions = { ...pubsub.options, port };
  return {
    address,
    pubsub,
    publisherApi: new v1.PublisherClient(clientOptions),
    subscriberApi: new v1.SubscriberClient(clientOptions),
  };
}

/** Google's emulator has no reset: delete what the previous test left, through the API itself. */
async function deleteEverything(clients: Omit<FixtureState, 'ours' | 'close' | 'reset'>): Promise<void> {
  const { publisherApi, subscriberApi } = clients;
  const [snapshots] = await subscriberApi.listSnapshots({ project: PROJECT });
  await Promise.all(snapshots.map((s) => subscriberApi.deleteSnapshot({ snapshot: s.name ?? '' })));
  const [subscriptions] = await subscriberApi.listSubscriptions({ project: PROJECT });
  await Promise.all(
    subscriptions.map((s) => subscriberApi.deleteSubscription({ subscription: s.name ?? '' })),
  );
  const [topics] = await publisherApi.listTopics({ project: PROJECT });
  await Promise.all(topics.map((t) => publisherApi.deleteTopic({ topic: t.name ?? '' })));
}

async function startTarget(target: TargetName, options: PubSubEmulatorOptions): Promise<FixtureState> {
  let google: GoogleEmulator | undefined;
  let ours: RunningPubSubEmulator | undefined;
  if (target === 'google') {
    const gcloud = googleEmulatorGcloud('pubsub');
    if (!gcloud) throw new Error("Google's Pub/Sub emulator is not installed");
    google = await googleEmulatorForFile('pubsub', gcloud, PROJECT_ID);
  } else {
    ours = await startPubSubEmulator({ host: '127.0.0.1', port: 0, ...options });
  }
  const running = google ?? ours;
  if (!running) throw new Error('No emulator started');
  const clients = await connect(running.address, running.port);
  return {
    ...clients,
    ours,
    reset: async () => {
      if (ours) ours.reset();
      else await deleteEverything(clients);
    },
    close: async () => {
      await Promise.all([
        clients.pubsub.close(),
        clients.publisherApi.close(),
        clients.subscriberApi.close(),
      ]);
      await (ours ?? google)?.stop();
    },
  };
}

/**
 * Starts an emulator (ours unless `target` says otherwise) on a free port for the calling test file or
 * describe block (beforeAll), wipes it before every test and stops it with its clients afterwards.
 */
export function usePubSubEmulator(
  options: PubSubEmulatorOptions = {},
  target: TargetName = 'ours',
): EmulatorFixture {
  let state: FixtureState | undefined;

  beforeAll(async () => {
    state = await startTarget(target, options);
  }, 120_000);
  beforeEach(() => state?.reset());
  afterAll(async () => {
    await state?.close();
  });

  const required = (): FixtureState => {
    if (!state) throw new Error('The emulator is not running yet (use it inside tests).');
    return state;
  };
  return {
    target,
    get address() {
      return required().address;
    },
    get emulator() {
      const ours = required().ours;
      if (!ours) throw new Error(`Only our emulator has this handle; this run targets ${target}.`);
      return ours;
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
    reset: () => required().reset(),
  };
}

/**
 * Declares a Pub/Sub conformance suite that runs against our emulator and, where it is installed,
 * Google's (see describeOnTargets in test/support/conformance.ts).
 */
export const describeConformance = conformanceSuites('pubsub', usePubSubEmulator);

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
