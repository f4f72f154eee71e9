import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { claimPorts } from '../../local/ports';
import { REPO_ROOT } from './terraform-config';

/** The functions-framework binary that the Node.js buildpack starts in production. */
const FRAMEWORK_MAIN = join(
  REPO_ROOT,
  'node_modules',
  '@google-cloud',
  'functions-framework',
  'build',
  'src',
  'main.js',
);

/** The framework prints this once its server listens (outside NODE_ENV=production). */
const LISTENING = 'Serving function...';

/** A bundle served by the functions-framework in a process of its own. */
export interface RunningBundle {
  /** Base URL; the function answers on any path. */
  readonly url: string;
  /** `process.hrtime.bigint()` just before the process was spawned. */
  readonly spawnedAt: bigint;
  /**
   * CPU time the process has used so far, all its threads together, in milliseconds; undefined where the
   * system has no `/proc` (Linux only). Unlike wall time, it barely grows when other work shares the CPUs.
   */
  cpuMs(): Promise<number | undefined>;
  /** Kills the process and waits for it to exit. */
  stop(): Promise<void>;
}

/** How to start one bundle. */
export interface BundleProcessOptions {
  readonly name: string;
  /** The directory `npm run build` wrote for the function (index.js and package.json). */
  readonly dir: string;
  /** The whole environment of the process besides PATH and PORT: nothing else leaks in. */
  readonly env: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

/**
 * Starts a built function the way Cloud Functions does (`functions-framework --target=<name>` with the
 * bundle's directory as source) on a free port and resolves once it listens.
 */
export async function startBundle(options: BundleProcessOptions): Promise<RunningBundle> {
  const [port = 0] = await claimPorts('127.0.0.1', [0]);
  const spawnedAt = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [FRAMEWORK_MAIN, `--target=${options.name}`, `--source=${options.dir}`],
    {
      env: { PATH: process.env['PATH'] ?? '', PORT: String(port), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${options.name} did not listen in time:\n${output}`)),
        options.startTimeoutMs ?? 30_000,
      );
      child.stdout.on('data', () => {
        if (!output.includes(LISTENING)) return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited with ${code} before listening:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  } finally {
    // Drain the pipes from now on without keeping the output, so that a chatty function never blocks.
    child.stdout.removeAllListeners('data').resume();
    child.stderr.removeAllListeners('data').resume();
  }
  const cpuMs = (): Promise<number | undefined> =>
    child.pid === undefined ? Promise.resolve(undefined) : processCpuMs(child.pid);
  return { url: `http://127.0.0.1:${port}`, spawnedAt, cpuMs, stop };
}

/** Sums the run time of every thread of `pid` (`/proc/<pid>/task/<tid>/schedstat`, nanoseconds first). */
async function processCpuMs(pid: number): Promise<number | undefined> {
  const tasks = `/proc/${pid}/task`;
  // No procfs: not Linux, and no CPU time to report.
  const threads = await readdir(tasks).catch(() => undefined);
  if (threads === undefined) return undefined;
  let nanoseconds = 0;
  for (const thread of threads) {
    // A thread that ended since the listing has nothing left to read; its few microseconds are lost.
    const schedstat = await readFile(`${tasks}/${thread}/schedstat`, 'utf8').catch(() => '0');
    nanoseconds += Number(schedstat.split(' ')[0]);
  }
  return nanoseconds / 1e6;
}
