import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** How to start the functions server process. */
export interface FunctionsProcessOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Added to this process's environment: where the emulators are, the project id. */
  env: Readonly<Record<string, string>>;
  /** Receives the process's output lines, prefixed with `[functions]`. */
  log: (line: string) => void;
  readyTimeoutMs?: number;
  /**
   * The server opens its port only once this resolves (it loads the functions meanwhile), so that no request
   * arrives before the services the functions call are up; if it rejects, the process is stopped. Without
   * it, the server listens as soon as it has loaded.
   */
  listenAfter?: Promise<unknown>;
}

/** The functions server running as a child process. */
export interface FunctionsProcess {
  /** Base URL; a function is served at `${url}/<name>`. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Asks the process to stop and resolves once it has exited (idempotent). */
  stop(): Promise<void>;
}

const REPOSITORY_ROOT = resolve(__dirname, '..', '..');
const MAIN_SCRIPT = join(__dirname, 'main.ts');
const READY_LINE = /^functions ready on (http:\/\/\S+)$/;
// Generous: on a loaded machine (CI, parallel jest workers) a cold start can take tens of seconds.
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const KILL_AFTER_MS = 5000;
const STDERR_LINES_KEPT = 40;

/**
 * Starts `local/functions/main.ts` as a child process, as functions run in production: separate processes
 * that find the emulators through environment variables. Resolves once it prints its ready line; rejects
 * with its stderr if it exits or stays silent first. The child exits on its own when this process dies.
 */
export function startFunctionsProcess(options: FunctionsProcessOptions): Promise<FunctionsProcess> {
  // `node --import tsx` rather than the tsx CLI, which would put a second process between us and the server.
  const listenOnSignal = options.listenAfter === undefined ? [] : ['--listen-on-signal'];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN_SCRIPT, `--host=${options.host}`, '--exit-with-parent', ...listenOnSignal],
    {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...options.env, PORT: String(options.port) },
      // stdin stays an open pipe that only closes when we die: the child's signal that it is orphaned.
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );

  const stderrTail: string[] = [];
  let stopRequested = false;
  const exited = new Promise<void>((resolveExited) => {
    child.once('close', (code, signal) => {
      if (!stopRequested) options.log(`[functions] process exited (code ${code}, signal ${signal})`);
      resolveExited();
    });
    // A process that could not be spawned never emits 'close'.
    child.once('error', () => {
      if (child.pid === undefined) resolveExited();
    });
  });

  const stop = async (): Promise<void> => {
    stopRequested = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    await exited;
    clearTimeout(killer);
  };

  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_LINES_KEPT) stderrTail.shift();
    options.log(`[functions] ${line}`);
  });

  return new Promise((resolveReady, rejectReady) => {
    let starting = true;
    const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    const fail = (reason: string): void => {
      if (!starting) return;
      starting = false;
      clearTimeout(readyTimer);
      const stderr = stderrTail.length > 0 ? `; its stderr:\n${stderrTail.join('\n')}` : ' (no stderr)';
      void stop().then(() => rejectReady(new Error(`Functions server did not start: ${reason}${stderr}`)));
    };
    // When this thread was blocked past the deadline, the ready line may be waiting in the pipe: timers run
    // before I/O callbacks, so the verdict waits for the I/O phase (setImmediate runs right after it).
    const readyTimer = setTimeout(
      () => setImmediate(() => fail(`not ready within ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
    child.once('error', (error) => fail(`it could not be spawned (${error.message})`));
    child.once('close', (code, signal) => fail(`it exited (code ${code}, signal ${signal})`));
    // Writing to a process that has just died fails with EPIPE; its 'close' reports why it died.
    child.stdin.on('error', (error) => fail(`its stdin failed (${error.message})`));
    void options.listenAfter?.then(
      () => child.stdin.write('listen\n'),
      (error: unknown) =>
        fail(`a service it needs did not start (${error instanceof Error ? error.message : String(error)})`),
    );

    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = starting ? READY_LINE.exec(line)?.[1] : undefined;
      // A process that printed anything was spawned, so it has a pid.
      const { pid } = child;
      if (url === undefined || pid === undefined) {
        options.log(`[functions] ${line}`);
        return;
      }
      starting = false;
      clearTimeout(readyTimer);
      resolveReady({ url, port: Number(new URL(url).port), pid, stop });
    });
  });
}
