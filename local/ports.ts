import { createServer, type Server } from 'node:net';

/** The ports of `npm start`, those of the API contract and `firebase.json`; `PORT` moves the functions. */
export const DEFAULT_PORTS = {
  functions: 5001,
  firestore: 8080,
  auth: 9099,
  pubsub: 8085,
  stripe: 12111,
  fcm: 9155,
} as const;

/**
 * Checks that every port can be bound on `host` and returns them, each 0 replaced by a distinct free port
 * chosen by the OS.
 *
 * Some servers we embed (the Auth emulator) cannot listen on port 0 and crash the whole process on
 * `EADDRINUSE`, and a child process must know the emulators' ports before they listen, so ports are claimed
 * here first, where a busy port becomes a clear error. All are held at once so that no free port repeats.
 */
export async function claimPorts(host: string, ports: readonly number[]): Promise<number[]> {
  const probes = await Promise.allSettled(ports.map((port) => listen(host, port)));
  const listening = probes.flatMap((probe) => (probe.status === 'fulfilled' ? [probe.value] : []));
  const claimed = listening.map(boundPort);
  await Promise.all(listening.map(close));
  const busy = probes.find((probe) => probe.status === 'rejected');
  if (busy) throw busy.reason;
  return claimed;
}

/** The TCP port a listening server is bound to (the one the OS chose when it was asked for port 0). */
export function boundPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('The server is not listening on a TCP port');
  }
  return address.port;
}

function listen(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${host} is already in use (is another local cloud running?)`)
          : error,
      );
    });
    probe.listen(port, host, () => resolve(probe));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Reads a port setting such as `PORT`: `fallback` when unset, an error naming `name` when not a port. */
export function parsePort(name: string, value: string | undefined, fallback: number): number {
  const port = Number(value ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a TCP port number (0 for any free port), got "${value}"`);
  }
  return port;
}
