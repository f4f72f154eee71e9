import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { functionRegistry } from '../functions/index';
import type { FunctionSignature } from '../shared/http/registered-function';
import { describeImport } from '../scripts/lib/bundle-contents';
import { bundleFunctions, type BuiltBundle } from '../scripts/lib/bundle-functions';
import { startBundle } from '../scripts/lib/run-bundle';
import { REPO_ROOT } from '../scripts/lib/terraform-config';

/**
 * `npm run bench:cold`: time from process spawn to the first HTTP response of every function, bundled
 * exactly as `npm run build` bundles it and served by the functions-framework as Cloud Functions serves
 * it, against a hello-world function bundled the same way and measured in the same rounds. Target: every
 * function within 1.3x of hello-world; for those that miss it, lists the packages `shared/` loads eagerly.
 *
 * Each request is one the function refuses without any network, so that what is measured is loading the
 * bundle, not Firestore: an HTTP function gets no token and answers 401 (or 405 to a method it does not
 * take); a Pub/Sub subscriber gets a push delivery whose message its schema refuses, and answers 500 with
 * the framework's `X-Google-Status: error` (an error its handler raised, which Pub/Sub would redeliver; a
 * crash of the framework itself says `crash`). The environment points at no emulator and holds no
 * credentials.
 *
 * Next to the wall-clock ratio, which decides, it prints the ratio of CPU time the process used until it
 * answered (Linux): other work on a shared machine inflates it far less, so when the two disagree, the
 * wall clock measured the machine's load.
 *
 * Options: --runs=N rounds (default 10). Rounds stop 150 s after the start, build included, so that the
 * benchmark stays under three minutes on a busy machine.
 */

const TARGET_RATIO = 1.3;
const HELLO = 'helloWorld';
/** The framework's header telling an error the function raised (`error`) from its own crash (`crash`). */
const FUNCTION_STATUS_HEADER = 'x-google-status';
const BENCH_DIR = join(REPO_ROOT, 'reports', 'cold-start');
const DEADLINE_MS = 150_000;

const HELLO_SOURCE = `import { http } from '@google-cloud/functions-framework';
http('${HELLO}', (req, res) => {
  res.status(401).json({ status: 401 });
});
`;

interface Sample {
  readonly ms: number;
  /** CPU time of the function's process up to its answer, where the system reports it. */
  readonly cpuMs: number | undefined;
  readonly status: number;
  /** The function answered with its refusal of the request, as opposed to doing more than load. */
  readonly refused: boolean;
}

interface Result {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly ratio: number;
  /** Median CPU time against hello-world's, or undefined without CPU times. */
  readonly cpuRatio: number | undefined;
  readonly statuses: string;
}

async function buildAll(): Promise<BuiltBundle[]> {
  await rm(BENCH_DIR, { recursive: true, force: true });
  await mkdir(BENCH_DIR, { recursive: true });
  const helloEntry = join(BENCH_DIR, 'hello-world.js');
  await writeFile(helloEntry, HELLO_SOURCE);
  const entries: Record<string, string> = { [HELLO]: helloEntry };
  for (const { name } of functionRegistry) entries[name] = join(REPO_ROOT, 'functions', `${name}.ts`);
  return bundleFunctions(entries, BENCH_DIR);
}

/** A Pub/Sub push delivery whose message (`{}`) no subscriber's schema accepts. */
const REFUSED_PUSH_DELIVERY: RequestInit = {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    message: { data: Buffer.from('{}').toString('base64'), messageId: 'cold-start' },
    subscription: 'projects/demo-cold-start/subscriptions/cold-start',
  }),
};

function isRefusal(signature: FunctionSignature, response: Response): boolean {
  if (signature === 'http') return response.status >= 400 && response.status < 500;
  return response.status === 500 && response.headers.get(FUNCTION_STATUS_HEADER) === 'error';
}

async function coldStart(bundle: BuiltBundle, signature: FunctionSignature): Promise<Sample> {
  const running = await startBundle({
    name: bundle.name,
    dir: bundle.dir,
    env: { GCLOUD_PROJECT: 'demo-cold-start', LOG_LEVEL: 'info' },
  });
  try {
    const request = signature === 'cloudevent' ? REFUSED_PUSH_DELIVERY : {};
    const response = await fetch(`${running.url}/${bundle.name}`, request);
    await response.arrayBuffer();
    const ms = Number(process.hrtime.bigint() - running.spawnedAt) / 1e6;
    return {
      ms,
      cpuMs: await running.cpuMs(),
      status: response.status,
      refused: isRefusal(signature, response),
    };
  } finally {
    await running.stop();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const upper = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const lower = sorted[Math.ceil(sorted.length / 2) - 1] ?? NaN;
  return (lower + upper) / 2;
}

function medianCpuMs(runs: readonly Sample[]): number | undefined {
  const times = runs.flatMap((sample) => (sample.cpuMs === undefined ? [] : [sample.cpuMs]));
  return times.length === runs.length ? median(times) : undefined;
}

function summarise(samples: ReadonlyMap<string, Sample[]>): Result[] {
  const hello = samples.get(HELLO) ?? [];
  const baseline = median(hello.map((sample) => sample.ms));
  const cpuBaseline = medianCpuMs(hello);
  return [...samples].map(([name, runs]) => {
    const medianMs = median(runs.map((sample) => sample.ms));
    const cpuMs = medianCpuMs(runs);
    const cpuRatio = cpuMs === undefined || cpuBaseline === undefined ? undefined : cpuMs / cpuBaseline;
    const statuses = [...new Set(runs.map((sample) => sample.status))].join(',');
    return { name, runs: runs.length, medianMs, ratio: medianMs / baseline, cpuRatio, statuses };
  });
}

function print(results: readonly Result[], bundles: readonly BuiltBundle[]): void {
  console.log(`\n${'function'.padEnd(22)} runs    median  ratio    cpu  status`);
  for (const result of results) {
    const verdict = result.name === HELLO ? 'baseline' : result.ratio <= TARGET_RATIO ? 'ok' : 'over target';
    const medianText = `${result.medianMs.toFixed(0)} ms`.padStart(9);
    const cpuText = (result.cpuRatio?.toFixed(2) ?? '-').padStart(6);
    console.log(
      `${result.name.padEnd(22)} ${String(result.runs).padStart(4)} ${medianText} ${result.ratio.toFixed(2).padStart(6)} ${cpuText}  ${result.statuses} ${verdict}`,
    );
  }
  const slow = new Set(results.filter((result) => result.ratio > TARGET_RATIO).map((result) => result.name));
  const eager = new Set(
    bundles
      .filter((bundle) => slow.has(bundle.name))
      .flatMap((bundle) => bundle.contents.eagerImports.map(describeImport)),
  );
  if (eager.size > 0) {
    console.log(`\nLoaded at start by the functions over ${TARGET_RATIO}x (make the heavy ones lazy):`);
    for (const line of [...eager].sort()) console.log(`  ${line}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
  const rounds = Number(values.runs);
  const started = Date.now();
  const bundles = await buildAll();
  const signatures = new Map(functionRegistry.map((fn) => [fn.name, fn.signature]));
  const samples = new Map(bundles.map((bundle) => [bundle.name, [] as Sample[]]));
  // Round-robin, one process at a time: load from elsewhere on the machine hits every function alike.
  for (let round = 1; round <= rounds && Date.now() - started < DEADLINE_MS; round += 1) {
    for (const bundle of bundles) {
      const sample = await coldStart(bundle, signatures.get(bundle.name) ?? 'http');
      if (!sample.refused) {
        throw new Error(`${bundle.name} answered ${sample.status}, not its refusal: it did more than load`);
      }
      samples.get(bundle.name)?.push(sample);
    }
    console.log(`round ${round}/${rounds} done after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const results = summarise(samples);
  print(results, bundles);
  const done = results[0]?.runs ?? 0;
  if (done < rounds)
    console.log(`\nOnly ${done} of ${rounds} rounds fitted in ${DEADLINE_MS / 1000} s: a busy machine.`);
  if (results.some((result) => result.ratio > TARGET_RATIO)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
