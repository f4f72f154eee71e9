import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { claimPorts } from '../ports';
import { loadAuthEmulatorModule } from './firebase-tools-internals';

/** Where to run the Auth emulator. */
export interface AuthEmulatorOptions {
  projectId: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
}

/** A running Firebase Auth emulator. */
export interface RunningAuthEmulator {
  readonly host: string;
  readonly port: number;
  /** `host:port`, the value of `FIREBASE_AUTH_EMULATOR_HOST`. */
  readonly address: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const READY_POLL_MS = 25;

/**
 * Starts the Firebase Auth emulator from firebase-tools inside this process (the CLI would take several
 * times as long and claim the emulator hub ports).
 */
export async function startAuthEmulator(options: AuthEmulatorOptions): Promise<RunningAuthEmulator> {
  const { AuthEmulator, SingleProjectMode } = loadAuthEmulatorModule();
  const [port = options.port] = await claimPorts(options.host, [options.port]);
  const emulator = new AuthEmulator({
    projectId: options.projectId,
    host: options.host,
    port,
    singleProjectMode: SingleProjectMode.NO_WARNING,
  });
  await emulator.start();
  try {
    await waitUntilAccepting(options.host, port);
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  return {
    host: options.host,
    port,
    address: `${options.host}:${port}`,
    stop: () => emulator.stop(),
  };
}

/** `AuthEmulator.start()` does not wait for its server to listen, so readiness is observed from outside. */
async function waitUntilAccepting(host: string, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await acceptsConnections(host, port))) {
    if (Date.now() > deadline) {
      throw new Error(`Auth emulator did not listen on ${host}:${port} within ${READY_TIMEOUT_MS} ms`);
    }
    await sleep(READY_POLL_MS);
  }
}

function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    // Refused (or reset) until the emulator's server is listening: that is the answer, not a fault.
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
