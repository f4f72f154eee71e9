import { startAuthEmulator } from './auth/emulator';
import { fcmStandInEnvironment } from './fcm/functions-environment';
import { startFcmStandIn } from './fcm/stand-in';
import type { CommitFault } from './firestore/faults';
import type { DeliveryFaultSettingsInput } from './pubsub/delivery-faults';
import { startFirestoreEmulator } from './firestore/server';
import { startFunctionsProcess } from './functions/child-process';
import {
  LOCAL_STRIPE_WEBHOOK_SECRET,
  notificationTriggers,
  paymentTriggers,
  stripeWebhookUrl,
} from './payments-wiring';
import { claimPorts } from './ports';
import { startPubSubEmulator } from './pubsub/server';
import { ensureTopicsAndPushSubscriptions } from './pubsub/topology';
import { startStripeSandbox } from './stripe/server';
import { generateTicketKey } from '../shared/tickets/ticket-signing';

/** The project id of the local cloud unless told otherwise; `demo-` ids never reach a real project. */
export const DEFAULT_PROJECT_ID = 'demo-event-manager';

/** The port of each service; 0 picks a free one. */
export interface LocalCloudPorts {
  functions: number;
  firestore: number;
  auth: number;
  /** Pub/Sub emulator; a free port when left out. */
  pubsub?: number;
  /** Stripe sandbox; a free port when left out. */
  stripe?: number;
  /** The FCM stand-in; a free port when left out. */
  fcm?: number;
}

/** How to start the local cloud. */
export interface LocalCloudOptions {
  ports: LocalCloudPorts;
  /** Interface every service listens on; `127.0.0.1` by default. */
  host?: string;
  /** `demo-event-manager` by default. */
  projectId?: string;
  /** Extra delay of every Firestore commit, to widen race windows in concurrency tests. */
  firestoreCommitLatencyMs?: number;
  /** Commit failures the Firestore emulator injects from the start; none by default. */
  firestoreCommitFaults?: readonly CommitFault[];
  /** Delivery faults (duplicates, delays) the Pub/Sub emulator injects from the start; none by default. */
  pubsubDeliveryFaults?: DeliveryFaultSettingsInput;
  /** Receives the functions' output and the local cloud's notices; discarded by default. */
  log?: (line: string) => void;
}

/** A running local cloud. */
export interface LocalCloud {
  readonly projectId: string;
  /** Base URL of the functions; each is served at `${functionsUrl}/<name>`. */
  readonly functionsUrl: string;
  /** `host:port` of the Firestore emulator (gRPC). */
  readonly firestoreAddress: string;
  /** `host:port` of the Firebase Auth emulator (HTTP). */
  readonly authAddress: string;
  /** `host:port` of the Pub/Sub emulator (gRPC). */
  readonly pubsubAddress: string;
  /** Base URL of the Stripe sandbox, which delivers its webhooks to the local `stripeWebhook`. */
  readonly stripeUrl: string;
  /** Base URL of the FCM stand-in: `GET /pushes` lists what was pushed (docs/local-fcm-stand-in.md). */
  readonly fcmUrl: string;
  /** The environment that points the real SDKs (and the functions) at this local cloud. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops every service and waits for the functions process to exit; later calls return the same promise. */
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Tells Google's auth library that there is no metadata server to ask: the local cloud is not on Google
 * Cloud. Without it, SDK clients of the emulators that have no credentials (they need none) let the library
 * search Application Default Credentials down to a probe of the GCE metadata server, which fails offline
 * with a `MetadataLookupWarning` (the Pub/Sub SDK asks for the credentials' universe domain on its first
 * call, even against an emulator).
 */
const NO_METADATA_SERVER = { METADATA_SERVER_DETECTION: 'none' } as const;

/**
 * The environment that a process needs to use the local cloud through the standard SDK variables; the
 * functions process gets exactly this (plus its `PORT`), so new services add their variables here.
 */
function clientEnvironment(
  projectId: string,
  host: string,
  addresses: { firestore: string; auth: string; pubsub: string; stripePort: number },
) {
  return {
    GCLOUD_PROJECT: projectId,
    FIRESTORE_EMULATOR_HOST: addresses.firestore,
    FIREBASE_AUTH_EMULATOR_HOST: addresses.auth,
    PUBSUB_EMULATOR_HOST: addresses.pubsub,
    STRIPE_API_HOST: host,
    STRIPE_API_PORT: String(addresses.stripePort),
    STRIPE_API_PROTOCOL: 'http',
    STRIPE_WEBHOOK_SECRET: LOCAL_STRIPE_WEBHOOK_SECRET,
    ...NO_METADATA_SERVER,
  };
}

/**
 * A ticket signing key made for this start only, as Secret Manager holds one in production. Only the
 * functions process gets the private key; the public one is in `env` for door apps and tests.
 */
function localTicketKeys() {
  const { privateKey, publicKey } = generateTicketKey(`local-${Date.now().toString(36)}`);
  return {
    TICKET_SIGNING_KEY: JSON.stringify(privateKey),
    TICKET_PUBLIC_KEYS: JSON.stringify([publicKey]),
  };
}

/**
 * Starts the whole backend offline: the Firestore and Auth emulators inside this process and the functions
 * server as a child process pointed at them. If any service fails to start, the others are stopped again.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const host = options.host ?? '127.0.0.1';
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const log = options.log ?? (() => undefined);
  // This process talks to the Pub/Sub emulator through the SDK too (the push subscriptions below).
  process.env.METADATA_SERVER_DETECTION ??= NO_METADATA_SERVER.METADATA_SERVER_DETECTION;
  // Every port is known before anything starts so that the three can start at the same time.
  const [functionsPort = 0, firestorePort = 0, authPort = 0, pubsubPort = 0, stripePort = 0, fcmPort = 0] =
    await claimPorts(host, [
      options.ports.functions,
      options.ports.firestore,
      options.ports.auth,
      options.ports.pubsub ?? 0,
      options.ports.stripe ?? 0,
      options.ports.fcm ?? 0,
    ]);
  const firestoreAddress = `${host}:${firestorePort}`;
  const authAddress = `${host}:${authPort}`;
  const pubsubAddress = `${host}:${pubsubPort}`;
  const functionsUrl = `http://${host}:${functionsPort}`;
  const { TICKET_SIGNING_KEY, ...ticketKeys } = localTicketKeys();
  const env = {
    ...clientEnvironment(projectId, host, {
      firestore: firestoreAddress,
      auth: authAddress,
      pubsub: pubsubAddress,
      stripePort,
    }),
    ...ticketKeys,
  };

  const emulators = Promise.allSettled([
    startFirestoreEmulator({
      host,
      port: firestorePort,
      commitLatencyMs: options.firestoreCommitLatencyMs,
      commitFaults: options.firestoreCommitFaults,
    }),
    startAuthEmulator({ projectId, host, port: authPort }),
    startPubSubEmulator({ host, port: pubsubPort, deliveryFaults: options.pubsubDeliveryFaults }),
    startStripeSandbox({
      host,
      port: stripePort,
      webhookEndpoints: [{ url: stripeWebhookUrl(functionsUrl), secret: LOCAL_STRIPE_WEBHOOK_SECRET }],
    }),
    startFcmStandIn({ host, port: fcmPort, projectId }),
  ]);
  // Like the Terraform subscription, created before the function it pushes to takes requests.
  const triggers = emulators.then(async ([, , pubsub]) => {
    if (pubsub.status === 'rejected') return [];
    return Promise.allSettled([
      ensureTopicsAndPushSubscriptions(pubsubAddress, projectId, [
        ...paymentTriggers(functionsUrl, projectId),
        ...notificationTriggers(functionsUrl, projectId),
      ]),
    ]);
  });
  // The functions process loads on another core while the emulators start (the Auth emulator's start is
  // CPU-bound), but opens its port only once every service it calls is up: a request never meets a
  // missing emulator.
  const servicesUp = Promise.all([emulators, triggers]).then(([started, created]) => {
    const failed = [...started, ...created].find((result) => result.status === 'rejected');
    if (failed !== undefined) throw new Error('The local services did not start', { cause: failed.reason });
  });
  const [[functions], [firestore, auth, pubsub, stripe, fcm], created] = await Promise.all([
    Promise.allSettled([
      startFunctionsProcess({
        host,
        port: functionsPort,
        env: { ...env, TICKET_SIGNING_KEY, ...fcmStandInEnvironment(`${host}:${fcmPort}`) },
        log,
        listenAfter: servicesUp,
      }),
    ]),
    emulators,
    triggers,
  ]);
  const stop = (): Promise<void> =>
    stopInOrder(settledValue(functions), [
      settledValue(stripe),
      settledValue(fcm),
      settledValue(pubsub),
      settledValue(firestore),
      settledValue(auth),
    ]);
  if (
    functions.status === 'rejected' ||
    firestore.status === 'rejected' ||
    auth.status === 'rejected' ||
    pubsub.status === 'rejected' ||
    stripe.status === 'rejected' ||
    fcm.status === 'rejected' ||
    created.some((result) => result.status === 'rejected')
  ) {
    const cleanup = await Promise.allSettled([stop()]);
    throw startFailure([firestore, auth, pubsub, stripe, fcm, ...created, functions, ...cleanup]);
  }

  let stopping: Promise<void> | undefined;
  return {
    projectId,
    functionsUrl: functions.value.url,
    firestoreAddress,
    authAddress,
    pubsubAddress,
    stripeUrl: stripe.value.url,
    fcmUrl: fcm.value.url,
    env,
    stop: () => (stopping ??= stop()),
  };
}

function settledValue<T>(result: PromiseSettledResult<T>): T | undefined {
  return result.status === 'fulfilled' ? result.value : undefined;
}

/** The functions stop first, so that no request reaches an emulator that is already gone. */
async function stopInOrder(
  functions: Stoppable | undefined,
  emulators: (Stoppable | undefined)[],
): Promise<void> {
  const results = [
    ...(await Promise.allSettled([functions?.stop()])),
    ...(await Promise.allSettled(emulators.map((emulator) => emulator?.stop()))),
  ];
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  if (failures.length > 0) throw new AggregateError(failures, 'The local cloud did not stop cleanly');
}

function startFailure(results: PromiseSettledResult<unknown>[]): Error {
  const reasons = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  const messages = reasons.map((reason) => (reason instanceof Error ? reason.message : String(reason)));
  return new AggregateError(reasons, `The local cloud did not start:\n${messages.join('\n')}`);
}
