import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { functionRegistry } from '../functions/index';
import { bundleFunctions, type BuiltBundle } from '../scripts/lib/bundle-functions';
import { startBundle } from '../scripts/lib/run-bundle';
import { REPO_ROOT } from '../scripts/lib/terraform-config';

/**
 * `npm run bench:cold`: time from process spawn to the first HTTP response of every function, bundled
 * exactly as `npm run build` bundles it and served by the functions-framework as Cloud Functions serves
 * it, against a hello-world function bundled the same way and measured in the same rounds. Target: every
 * function within 1.3x of hello-world; for those that miss it, lists the packages `shared/` loads eagerly.
 *
 * Each request carries no token, so the function answers 401 (or 405 to a method it does not take)
 * without any network: what is measured is loading the bundle, not Firestore. The environment points at
 * no emulator and holds no credentials.
 *
 * Options: --runs=N rounds (default 10). Rounds stop 150 s after the start, build included, so that the
 * benchmark stays under three minutes on a busy machine.
 */

const TARGET_RATIO = 1.3;
const HELLO = 'helloWorld';
const BENCH_DIR = join(REPO_ROOT, 'reports', 'cold-start');
const DEADLINE_MS = 150_000;

const HELLO_SOURCE = `import { http } from '@google-cloud/functions-framework';
http('${HELLO}', (req, res) => {
  res.status(401).json({ status: 401 });
});
`;

interface Sample {
  readonly ms: number;
  readonly status: number;
}

interface Result {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly ratio: number;
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

async function coldStart(bundle: BuiltBundle): Promise<Sample> {
  const running = await startBundle({
    name: bundle.name,
    dir: bundle.dir,
    env: { GCLOUD_PROJECT: 'demo-cold-start', LOG_LEVEL: 'info' },
  });
  try {
    const response = await fetch(`${running.url}/${bundle.name}`);
    await response.arrayBuffer();
    return { ms: Number(process.hrtime.bigint() - running.spawnedAt) / 1e6, status: response.status };
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

function summarise(samples: ReadonlyMap<string, Sample[]>): Result[] {
  const baseline = median((samples.get(HELLO) ?? []).map((sample) => sample.ms));
  return [...samples].map(([name, runs]) => {
    const medianMs = median(runs.map((sample) => sample.ms));
    const statuses = [...new Set(runs.map((sample) => sample.status))].join(',');
    return { name, runs: runs.length, medianMs, ratio: medianMs / baseline, statuses };
  });
}

function print(results: readonly Result[], bundles: readonly BuiltBundle[]): void {
  console.log(`\n${'function'.padEnd(22)} runs    median  ratio  status`);
  for (const result of results) {
    const verdict = result.name === HELLO ? 'baseline' : result.ratio <= TARGET_RATIO ? 'ok' : 'over target';
    const medianText = `${result.medianMs.toFixed(0)} ms`.padStart(9);
    console.log(
      `${result.name.padEnd(22)} ${String(result.runs).padStart(4)} ${medianText} ${result.ratio.toFixed(2).padStart(6)}  ${result.statuses} ${verdict}`,
    );
  }
  const slow = new Set(results.filter((result) => result.ratio > TARGET_RATIO).map((result) => result.name));
  const eager = new Set(
    bundles.filter((bundle) => slow.has(bundle.name)).flatMap((b) => b.contents.eagerImports),
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
  const samples = new Map(bundles.map((bundle) => [bundle.name, [] as Sample[]]));
  // Round-robin, one process at a time: load from elsewhere on the machine hits every function alike.
  for (let round = 1; round <= rounds && Date.now() - started < DEADLINE_MS; round += 1) {
    for (const bundle of bundles) {
      const sample = await coldStart(bundle);
      if (sample.status < 400 || sample.status >= 500) {
        throw new Error(`${bundle.name} answered ${sample.status}, not a 4xx: it did more than load`);
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
