import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';

/** One of Google's emulators that gcloud installs as a component. */
export type GoogleEmulatorKind = 'pubsub' | 'firestore';

interface Component {
  /** The product's name in messages. */
  readonly product: string;
  /** The component's directory under `<sdk>/platform`. */
  readonly directory: string;
  /** gcloud's arguments before the common ones. */
  readonly command: readonly string[];
  /** What the emulator prints once it answers requests. */
  readonly ready: RegExp;
  /** Extra arguments for a port, a project and a data directory of its own. */
  arguments(projectId: string, dataDir: string): string[];
}

const COMPONENTS: Record<GoogleEmulatorKind, Component> = {
  pubsub: {
    product: 'Pub/Sub',
    directory: 'pubsub-emulator',
    command: ['beta', 'emulators', 'pubsub', 'start'],
    ready: /Server started, listening on \d+/,
    // Its own data directory: the default one is shared, and gcloud rewrites its env.yaml on every start.
    arguments: (projectId, dataDir) => [`--project=${projectId}`, `--data-dir=${dataDir}`],
  },
  firestore: {
    product: 'Firestore',
    directory: 'cloud-firestore-emulator',
    command: ['emulators', 'firestore', 'start'],
    ready: /Dev App Server is now running/,
    // Projects are implicit (any request's project exists); the data stays in memory.
    arguments: () => [],
  },
};

/** One of Google's emulators (a gcloud component), running as a process group of its own. */
export interface GoogleEmulator {
  /** `127.0.0.1:port`, the value for PUBSUB_EMULATOR_HOST or FIRESTORE_EMULATOR_HOST. */
  readonly address: string;
  readonly port: number;
  /** Stops gcloud and its Java child: the whole process group, SIGKILL if SIGTERM is not enough. */
  stop(): Promise<void>;
}

/** gcloud's start-up on a loaded machine; the emulator itself is ready in about 3 to 5 s. */
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 5_000;

/**
 * The `gcloud` executable when Google's emulator of that kind is installed: `gcloud` on PATH and the
 * component in the SDK that `gcloud` belongs to (`<sdk>/platform/pubsub-emulator`,
 * `<sdk>/platform/cloud-firestore-emulator`).
 */
export function googleEmulatorGcloud(kind: GoogleEmulatorKind): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(path.delimiter)) {
    if (directory === '') continue;
    const candidate = path.join(directory, 'gcloud');
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const sdkRoot = path.resolve(path.dirname(realpathSync(candidate)), '..');
    return existsSync(path.join(sdkRoot, 'platform', COMPONENTS[kind].directory)) ? candidate : undefined;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('No TCP port was assigned');
  return address.port;
}

/** Whether any process of the group led by `pid` is still alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  if (groupAlive(pid)) process.kill(-pid, signal);
}

async function waitForGroupExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function waitUntilReady(child: ChildProcess, component: Component): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`Google's ${component.product} emulator was not ready in time:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (component.ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `Google's ${component.product} emulator exited with ${code} before it was ready:\n${output}`,
        ),
      );
    });
  });
}

/**
 * Starts Google's emulator through `gcloud [beta] emulators <kind> start` on a free port, in a process
 * group of its own (gcloud runs the emulator's Java process as a child, which must go when the test file
 * ends).
 */
export async function startGoogleEmulator(
  kind: GoogleEmulatorKind,
  gcloud: string,
  projectId: string,
): Promise<GoogleEmulator> {
  const component = COMPONENTS[kind];
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `google-${kind}-emulator-`));
  const child = spawn(
    gcloud,
    [...component.command, `--host-port=127.0.0.1:${port}`, ...component.arguments(projectId, dataDir)],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${gcloud}`);
  // A test run that ends abruptly must not leave a JVM behind.
  const killOnExit = () => killGroup(pid, 'SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    killGroup(pid, 'SIGTERM');
    if (!(await waitForGroupExit(pid, STOP_GRACE_MS))) {
      killGroup(pid, 'SIGKILL');
      await waitForGroupExit(pid, STOP_GRACE_MS);
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(child, component);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address: `127.0.0.1:${port}`, port, stop };
}

/** Where the unit project's global setup leaves the address of Google's emulator it started for the run. */
const SHARED_ADDRESS_VARIABLES: Record<GoogleEmulatorKind, string> = {
  firestore: 'GOOGLE_FIRESTORE_EMULATOR_FOR_TESTS',
  pubsub: 'GOOGLE_PUBSUB_EMULATOR_FOR_TESTS',
};

/**
 * Google's emulator of `kind` for a test file: the one the global setup started for the whole run (a JVM
 * start costs seconds of CPU, once per run instead of once per file), or one of the file's own when there
 * is none. Files share the emulator through projects of their own; stopping the shared one is the global
 * teardown's business, not the file's.
 */
export async function googleEmulatorForFile(
  kind: GoogleEmulatorKind,
  gcloud: string,
  projectId: string,
): Promise<GoogleEmulator> {
  const address = process.env[SHARED_ADDRESS_VARIABLES[kind]];
  if (address === undefined) return startGoogleEmulator(kind, gcloud, projectId);
  return { address, port: Number(address.slice(address.lastIndexOf(':') + 1)), stop: async () => undefined };
}

/** Records the run's shared emulator of `kind` for the test workers, which inherit the environment. */
export function shareGoogleEmulator(kind: GoogleEmulatorKind, emulator: GoogleEmulator): void {
  process.env[SHARED_ADDRESS_VARIABLES[kind]] = emulator.address;
}
