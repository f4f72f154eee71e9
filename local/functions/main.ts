import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { LOCAL_FCM_STAND_IN_VARIABLE } from '../fcm/functions-environment';
import { routeFirebaseMessagingTo } from '../fcm/route-sdk';
import { parsePort } from '../ports';
import { startFunctionsServer, type RunningFunctionsServer } from './server';

/**
 * The local functions server as a process of its own, like Cloud Functions in production: the functions find
 * the emulators through the standard `*_EMULATOR_HOST` variables of this process's environment.
 *
 * Usage: `PORT=5001 node --import tsx local/functions/main.ts [--host=127.0.0.1] [--exit-with-parent]
 * [--listen-on-signal]`. Prints `functions ready on http://HOST:PORT` once listening. `--exit-with-parent`
 * makes it stop when the process that started it dies, however it dies, so that no server is ever left
 * behind. `--listen-on-signal` loads everything, prints `functions loaded`, and opens the port only once the
 * line `listen` arrives on stdin: the local cloud loads the functions while its emulators start, but lets no
 * request in before every service the functions call is up.
 */

const DEFAULT_PORT = 5001;
const LISTEN_SIGNAL = 'listen';
const PARENT_CHECK_INTERVAL_MS = 1000;
const STOP_DEADLINE_MS = 5000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function stopOnParentDeath(stop: (reason: string) => void): void {
  // The parent holds the other end of our stdin pipe; the OS closes it when the parent dies, even by SIGKILL.
  process.stdin.once('end', () => stop('stdin closed'));
  process.stdin.once('error', (error) => stop(`stdin failed: ${error.message}`));
  process.stdin.resume();
  // Second line of defence, should stdin not be a pipe held by the parent alone.
  const parentPid = process.ppid;
  setInterval(() => {
    if (!isAlive(parentPid)) stop(`parent process ${parentPid} is gone`);
  }, PARENT_CHECK_INTERVAL_MS).unref();
}

function installStopHandlers(server: RunningFunctionsServer, exitWithParent: boolean): void {
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`functions stopping: ${reason}`);
    // A close that hangs must not leave the process behind.
    setTimeout(() => {
      console.error(`functions did not stop within ${STOP_DEADLINE_MS} ms`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    // Exit explicitly: open SDK channels (Firestore gRPC) would keep the process alive after the server closed.
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('functions failed to stop cleanly', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  if (exitWithParent) stopOnParentDeath(stop);
}

/** Resolves when the parent writes the line `listen`; rejects if stdin ends first (the parent is gone). */
function listenSignal(): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() !== LISTEN_SIGNAL) return;
      // Settled first: closing emits 'close' at once.
      resolve();
      lines.close();
    });
    lines.once('close', () => reject(new Error('stdin closed before the signal to listen')));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      'exit-with-parent': { type: 'boolean', default: false },
      'listen-on-signal': { type: 'boolean', default: false },
    },
  });
  const fcmStandIn = process.env[LOCAL_FCM_STAND_IN_VARIABLE];
  if (fcmStandIn !== undefined) routeFirebaseMessagingTo(fcmStandIn);
  if (values['listen-on-signal']) {
    console.log('functions loaded');
    await listenSignal();
  }
  const server = await startFunctionsServer({
    host: values.host,
    port: parsePort('PORT', process.env.PORT, DEFAULT_PORT),
  });
  installStopHandlers(server, values['exit-with-parent']);
  console.log(`functions ready on ${server.url}`);
}

main().catch((error: unknown) => {
  console.error('functions failed to start', error);
  process.exit(1);
});
