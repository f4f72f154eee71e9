import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_PROJECT_ID } from '../cloud';
import { DEFAULT_PORTS, parsePort } from '../ports';
import { runDemo, type DemoTarget } from './demo';

/**
 * `npm run demo`: plays the demo against the local cloud of `npm start` on its default ports (`PORT` moves
 * the functions and `GCLOUD_PROJECT` names the project, as for `npm start`), or starts one (`npm start` in a child process) when none answers and
 * keeps it running afterwards, until Ctrl-C, so that the printed curl commands work.
 */

const ROOT = join(__dirname, '..', '..');
/** The functions' request logs of a local cloud started here would bury the demo's output. */
const LOG_FILE = join(ROOT, 'reports', 'demo-local-cloud.log');
const READY_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 250;

function demoTarget(): DemoTarget {
  const host = '127.0.0.1';
  return {
    functionsUrl: `http://${host}:${parsePort('PORT', process.env.PORT, DEFAULT_PORTS.functions)}`,
    authAddress: `${host}:${DEFAULT_PORTS.auth}`,
    projectId: process.env.GCLOUD_PROJECT ?? DEFAULT_PROJECT_ID,
    stripeUrl: `http://${host}:${DEFAULT_PORTS.stripe}`,
  };
}

/** Whether something answers HTTP at `url` (any status: the service listens). */
async function answers(url: string): Promise<boolean> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).arrayBuffer();
    return true;
  } catch {
    // Refused or timed out: nothing listens there (yet).
    return false;
  }
}

async function everyServiceAnswers(target: DemoTarget): Promise<boolean> {
  const probes = [`${target.functionsUrl}/openapi.json`, `http://${target.authAddress}/`, target.stripeUrl];
  return (await Promise.all(probes.map(answers))).every(Boolean);
}

/** Starts `npm start` as a child; its output goes to the terminal until the demo starts, then to a file. */
async function startLocalCloud(target: DemoTarget): Promise<ChildProcess> {
  await mkdir(join(ROOT, 'reports'), { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.pipe(process.stdout);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await everyServiceAnswers(target))) {
    if (exited) throw new Error('npm start stopped before the local cloud was ready (see its output above)');
    if (Date.now() > deadline) throw new Error('the local cloud did not get ready in time');
    await sleep(READY_POLL_MS);
  }
  child.stdout?.unpipe(process.stdout);
  child.stdout?.pipe(createWriteStream(LOG_FILE));
  return child;
}

async function main(): Promise<void> {
  const target = demoTarget();
  let started: ChildProcess | undefined;
  if (await everyServiceAnswers(target)) {
    console.log(`Playing the demo against the local cloud at ${target.functionsUrl}\n`);
  } else {
    console.log(`No local cloud answers at ${target.functionsUrl}: starting one (npm start)…`);
    started = await startLocalCloud(target);
    console.log(`\nThe functions' output during the demo goes to ${LOG_FILE}\n`);
  }
  try {
    await runDemo(target, (line) => console.log(line));
  } catch (error) {
    started?.kill('SIGTERM');
    throw error;
  }
  if (started !== undefined) {
    console.log('\nThe local cloud started for the demo keeps running (seeded); Ctrl-C stops it.');
    const child = started;
    // Ctrl-C reaches the child too (same process group); it stops the cloud and this process follows.
    process.on('SIGINT', () => undefined);
    process.once('SIGTERM', () => child.kill('SIGTERM'));
    child.once('exit', (code) => process.exit(code ?? 0));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
