import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** The local Firestore emulator running in a process of its own. */
export interface EmulatorProcess {
  /** `host:port`, the value for FIRESTORE_EMULATOR_HOST. */
  readonly address: string;
  stop(): Promise<void>;
}

const READY = /^firestore emulator ready on (\S+)$/;

/**
 * Starts `local/firestore/main.ts` (which calls `startFirestoreEmulator`) as a child process, so that the
 * database does not share a CPU core with the clients being measured, as in production.
 */
export async function startEmulatorProcess(commitLatencyMs: number): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'local/firestore/main.ts',
      '--port',
      '0',
      '--commit-latency-ms',
      String(commitLatencyMs),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const address = READY.exec(line)?.[1];
    if (address === undefined) continue;
    return {
      address,
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
  }
  throw new Error('The Firestore emulator exited before it was ready');
}
