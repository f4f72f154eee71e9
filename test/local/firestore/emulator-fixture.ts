import { randomBytes } from 'node:crypto';
import { Client, credentials, type ServiceError } from '@grpc/grpc-js';
import { Firestore, type Settings } from '@google-cloud/firestore';
import { loadFirestoreService } from '../../../local/firestore/proto';
import {
  type FirestoreEmulatorOptions,
  type RunningFirestoreEmulator,
  startFirestoreEmulator,
} from '../../../local/firestore/server';
import { conformanceSuites, type TargetName } from '../../support/conformance';
import {
  type GoogleEmulator,
  googleEmulatorForFile,
  googleEmulatorGcloud,
} from '../../support/google-emulator';

/** A project of the file's own: Google's emulator is shared by every file of a run. */
export const PROJECT_ID = `demo-conformance-${randomBytes(4).toString('hex')}`;
export const DATABASE = `projects/${PROJECT_ID}/databases/(default)`;

/** Raw access to google.firestore.v1.Firestore for requests the SDK cannot express. */
export interface RawFirestore {
  unary(method: string, request: object): Promise<object>;
  stream(method: string, request: object): Promise<object[]>;
  /** What a server-streaming call emits, in order (`metadata`, `data`, `error`), until its status arrives. */
  streamEvents(method: string, request: object): Promise<string[]>;
}

/** The emulator and clients of one test file, valid between its beforeAll and afterAll. */
export interface EmulatorFixture {
  readonly target: TargetName;
  /** `127.0.0.1:port` of the target's emulator: gRPC and REST (HTTP/1.1) on the same port. */
  readonly address: string;
  /** Our emulator's handle (address, reset, stop); only for tests that run on our emulator alone. */
  readonly emulator: RunningFirestoreEmulator;
  /** A @google-cloud/firestore client on the emulator, project demo-conformance. */
  readonly db: Firestore;
  readonly raw: RawFirestore;
  /** Another SDK client on the same emulator (closed in afterAll). */
  client(settings?: Settings): Firestore;
}

function rawClient(address: string): { raw: RawFirestore; close(): void } {
  const service = loadFirestoreService();
  const client = new Client(address, credentials.createInsecure());
  const method = (name: string) => {
    const definition = service[name];
    if (!definition) throw new Error(`No RPC ${name}`);
    return definition;
  };
  return {
    raw: {
      unary: (name, request) =>
        new Promise((resolve, reject) => {
          const rpc = method(name);
          client.makeUnaryRequest(
            rpc.path,
            (message: object) => rpc.requestSerialize(message),
            (bytes: Buffer) => rpc.responseDeserialize(bytes),
            request,
            (error: ServiceError | null, response?: object) =>
              error || !response ? reject(error) : resolve(response),
          );
        }),
      stream: (name, request) =>
        new Promise((resolve, reject) => {
          const rpc = method(name);
          const responses: object[] = [];
          client
            .makeServerStreamRequest(
              rpc.path,
              (message: object) => rpc.requestSerialize(message),
              (bytes: Buffer) => rpc.responseDeserialize(bytes),
              request,
            )
            .on('data', (response: object) => responses.push(response))
            .on('error', reject)
            .on('end', () => resolve(responses));
        }),
      streamEvents: (name, request) =>
        new Promise((resolve) => {
          const rpc = method(name);
          const events: string[] = [];
          const call = client.makeServerStreamRequest(
            rpc.path,
            (message: object) => rpc.requestSerialize(message),
            (bytes: Buffer) => rpc.responseDeserialize(bytes),
            request,
          );
          for (const event of ['metadata', 'data', 'error']) call.on(event, () => events.push(event));
          call.on('status', () => resolve(events));
        }),
    },
    close: () => client.close(),
  };
}

/** The running emulator of either target, as the fixture needs it. */
interface Running {
  readonly port: number;
  readonly address: string;
  readonly ours: RunningFirestoreEmulator | undefined;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function startTarget(target: TargetName, options: FirestoreEmulatorOptions): Promise<Running> {
  if (target === 'ours') {
    const ours = await startFirestoreEmulator({ host: '127.0.0.1', port: 0, ...options });
    return {
      port: ours.port,
      address: ours.address,
      ours,
      reset: async () => ours.reset(),
      stop: () => ours.stop(),
    };
  }
  const gcloud = googleEmulatorGcloud('firestore');
  if (!gcloud) throw new Error("Google's Firestore emulator is not installed");
  const google: GoogleEmulator = await googleEmulatorForFile('firestore', gcloud, PROJECT_ID);
  return {
    port: google.port,
    address: google.address,
    ours: undefined,
    // Google's emulator deletes a database's documents on this documented request.
    reset: async () => {
      const response = await fetch(`http://${google.address}/emulator/v1/${DATABASE}/documents`, {
        method: 'DELETE',
      });
      if (!response.ok) throw new Error(`Resetting Google's emulator answered ${response.status}`);
    },
    stop: () => google.stop(),
  };
}

/**
 * Starts an emulator (ours unless `target` says otherwise) on a free port for the calling test file or
 * describe block (beforeAll), wipes it before every test and stops it with its clients afterwards.
 */
export function useFirestoreEmulator(
  options: FirestoreEmulatorOptions = {},
  target: TargetName = 'ours',
): EmulatorFixture {
  let running: Running | undefined;
  let raw: ReturnType<typeof rawClient> | undefined;
  const clients: Firestore[] = [];
  const client = (settings: Settings = {}): Firestore => {
    if (!running) throw new Error('The emulator is not running yet (use it inside tests).');
    const db = new Firestore({
      host: '127.0.0.1',
      port: running.port,
      ssl: false,
      projectId: PROJECT_ID,
      preferRest: false,
      ...settings,
    });
    clients.push(db);
    return db;
  };
  let db: Firestore | undefined;

  beforeAll(async () => {
    running = await startTarget(target, options);
    raw = rawClient(running.address);
    db = client();
  }, 120_000);
  beforeEach(() => running?.reset());
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.terminate()));
    raw?.close();
    await running?.stop();
  });

  const required = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The emulator is not running yet (use it inside tests).');
    return value;
  };
  return {
    target,
    get address() {
      return required(running).address;
    },
    get emulator() {
      const ours = required(running).ours;
      if (!ours) throw new Error(`Only our emulator has this handle; this run targets ${target}.`);
      return ours;
    },
    get db() {
      return required(db);
    },
    get raw() {
      return required(raw).raw;
    },
    client,
  };
}

/**
 * Declares a Firestore conformance suite that runs against our emulator and, where it is installed,
 * Google's (see describeOnTargets in test/support/conformance.ts).
 */
export const describeConformance = conformanceSuites('firestore', useFirestoreEmulator);

/** The gRPC status code of a failure (the SDK's errors carry it as `code`). */
export function grpcCode(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
    return error.code;
  }
  return undefined;
}

/** Resolves to the rejection of a promise that must fail. */
export async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: number }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return Object.assign(error, { code: grpcCode(error) });
    throw error;
  }
  throw new Error('Expected the operation to fail, but it succeeded.');
}

/** Milliseconds to wait, for tests that need another request to be in flight. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
