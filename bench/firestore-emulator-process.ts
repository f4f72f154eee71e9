import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** The local Firestore emulator running in a process of its own. */
export interface EmulatorProcess {
  /** `host:port`, the value for FIRESTORE_EMULATOR_HOST. */
  readonly address: string;
  /** CPU time the emulator process has used, in seconds; undefined where /proc cannot tell (not Linux). */
  cpuSeconds(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of a process from /proc/<pid>/stat (fields 14 and 15). */
async function processCpuSeconds(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
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
      cpuSeconds: () => processCpuSeconds(child.pid),
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
  }
  throw new Error('The Firestore emulator exited before it was ready');
}
