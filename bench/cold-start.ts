import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { functionRegistry } from '../functions/index';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import type { FunctionSignature, RegisteredFunction } from '../shared/http/registered-function';
import { describeImport } from '../scripts/lib/bundle-contents';
import { bundleFunctions, type BuiltBundle } from '../scripts/lib/bundle-functions';
import { startBundle } from '../scripts/lib/run-bundle';
import { REPO_ROOT } from '../scripts/lib/terraform-config';
import { startMetadataStandIn } from './metadata-stand-in';

/**
 * `npm run bench:cold`: time from process spawn to the first HTTP response of every function, bundled
 * exactly as `npm run build` bundles it and served by the functions-framework as Cloud Functions serves
 * it, next to two bundles measured in the same rounds: a hello-world function, and a minimal function that
 * uses the same SDKs the usual way (firebase-admin imported at start; it verifies the ID token and reads one
 * Firestore document). Two figures, because the lazy imports move the SDKs' cost from start to first use:
 *
 * - **First real answer** (the headline): a valid ID token of a registered user and a stored event, against
 *   the local Firestore and Auth emulators, for the read functions a phone calls first (`me`, `getEvent`,
 *   `searchEvents`, `myBookings`); every one must answer 200. This is what a user waits for on a cold
 *   instance. Target: within 1.3x of the minimal same-SDK function.
 * - **First refusal**: a request every function refuses through its real pipeline without any network, so
 *   that only loading the bundle is measured: an HTTP function gets no token and answers 401 (or 405 to a
 *   method it does not take); a Pub/Sub subscriber gets a push delivery whose message its schema refuses,
 *   and answers 500 with the framework's `X-Google-Status: error` (an error its handler raised, which
 *   Pub/Sub would redeliver; a crash of the framework itself says `crash`). The environment points at no
 *   emulator and holds no credentials. Target: every function within 1.3x of hello-world; for those that
 *   miss it, lists the packages `shared/` loads eagerly.
 *
 * - **Firestore transport**: the minimal function once more with `preferRest: true`, in the real-answer
 *   rounds, against a stand-in of the instance's metadata server for its access token (REST asks for one
 *   even against an emulator; gRPC does not). Its first answer against the gRPC one's is what decides
 *   whether production should set `preferRest`, which Google suggests for serverless start-up.
 *
 * Next to the wall-clock ratio, which decides, it prints the ratio of CPU time the process used until it
 * answered (Linux): other work on a shared machine inflates it far less, so when the two disagree, the
 * wall clock measured the machine's load.
 *
 * Options: --runs=N rounds of each figure (default 10). Rounds of the refusals stop 150 s after the start,
 * build included, and those of the real answers 90 s after theirs, so that the benchmark stays under five
 * minutes on a busy machine.
 */

/** Refusals against hello-world; real answers against the minimal same-SDK function. */
const TARGET_RATIO = 1.3;
const HELLO = 'helloWorld';
const MINIMAL = 'minimalSdkFunction';
/** The minimal function on Firestore's REST transport (`preferRest`), which Google suggests for start-up. */
const MINIMAL_REST = 'minimalSdkRestFunction';
/** The framework's header telling an error the function raised (`error`) from its own crash (`crash`). */
const FUNCTION_STATUS_HEADER = 'x-google-status';
const BENCH_DIR = join(REPO_ROOT, 'reports', 'cold-start');
const DEADLINE_MS = 150_000;
const ANSWER_DEADLINE_MS = 90_000;
const PASSWORD = 'cold-start-password';

const HELLO_SOURCE = `import { http } from '@google-cloud/functions-framework';
http('${HELLO}', (req, res) => {
  const status = req.get('authorization') === undefined ? 401 : 200;
  res.status(status).json({ status });
});
`;

/**
 * How a function is usually written: SDKs imported at start, token verified, one document read; over gRPC
 * (the SDK's default) or, with `preferRest`, over REST.
 */
function minimalSource(name: string, firestore: 'grpc' | 'rest'): string {
  const settings = firestore === 'rest' ? '{ preferRest: true }' : '{}';
  return `import { http } from '@google-cloud/functions-framework';
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { initializeFirestore } from 'firebase-admin/firestore';
const app = initializeApp();
const db = initializeFirestore(app, ${settings});
http('${name}', async (req, res) => {
  const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  if (token === undefined) {
    res.status(401).json({ status: 401 });
    return;
  }
  const { uid } = await getAuth(app).verifyIdToken(token);
  const user = await db.collection('users').doc(uid).get();
  res.status(user.exists ? 200 : 404).json({ uid, registered: user.exists });
});
`;
}

/** What the real requests need: a registered user's token and a stored event. */
interface Fixture {
  readonly idToken: string;
  readonly eventId: string;
}

/** The real request of each function measured for its first real answer: path and query. */
const REAL_REQUESTS: Readonly<Record<string, (fixture: Fixture) => string>> = {
  [HELLO]: () => '',
  [MINIMAL]: () => '',
  [MINIMAL_REST]: () => '',
  me: () => '',
  getEvent: (fixture) => `?id=${fixture.eventId}`,
  searchEvents: () => '?q=cold',
  myBookings: () => '',
};

interface Sample {
  readonly ms: number;
  /** CPU time of the function's process up to its answer, where the system reports it. */
  readonly cpuMs: number | undefined;
  readonly status: number;
  /** The function gave the answer the measure asks for (its refusal, or a real 200). */
  readonly expected: boolean;
}

interface Result {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  /** Median wall time against hello-world's, and against the minimal same-SDK function's. */
  readonly helloRatio: number;
  readonly minimalRatio: number;
  /** The same with CPU times; undefined without them. */
  readonly cpuHelloRatio: number | undefined;
  readonly cpuMinimalRatio: number | undefined;
  readonly statuses: string;
}

/** One of the two figures: which samples, against which baseline its target is set, and how to read it. */
interface Figure {
  readonly title: string;
  readonly samples: ReadonlyMap<string, Sample[]>;
  readonly baseline: typeof HELLO | typeof MINIMAL;
}

async function buildAll(): Promise<BuiltBundle[]> {
  await rm(BENCH_DIR, { recursive: true, force: true });
  await mkdir(BENCH_DIR, { recursive: true });
  const helloEntry = join(BENCH_DIR, 'hello-world.js');
  await writeFile(helloEntry, HELLO_SOURCE);
  const minimalEntry = join(BENCH_DIR, 'minimal-sdk-function.js');
  await writeFile(minimalEntry, minimalSource(MINIMAL, 'grpc'));
  const minimalRestEntry = join(BENCH_DIR, 'minimal-sdk-rest-function.js');
  await writeFile(minimalRestEntry, minimalSource(MINIMAL_REST, 'rest'));
  const entries: Record<string, string> = {
    [HELLO]: helloEntry,
    [MINIMAL]: minimalEntry,
    [MINIMAL_REST]: minimalRestEntry,
  };
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

/** One measured start: the bundle, its environment, and the request its first answer is timed on. */
interface Measure {
  readonly env: Readonly<Record<string, string>>;
  readonly path: string;
  readonly request: RequestInit;
  readonly expected: (response: Response) => boolean;
}

async function coldStart(bundle: BuiltBundle, measure: Measure): Promise<Sample> {
  const running = await startBundle({ name: bundle.name, dir: bundle.dir, env: measure.env });
  try {
    const response = await fetch(`${running.url}/${bundle.name}${measure.path}`, measure.request);
    await response.arrayBuffer();
    const ms = Number(process.hrtime.bigint() - running.spawnedAt) / 1e6;
    return {
      ms,
      cpuMs: await running.cpuMs(),
      status: response.status,
      expected: measure.expected(response),
    };
  } finally {
    await running.stop();
  }
}

/**
 * The refusal of each function: no emulator, no credentials, a request refused before any data access. A
 * function that needs no token (`ticketKeys`, `stripeWebhook`) is asked with the method it does not take.
 */
function refusal(registered: RegisteredFunction | undefined): Measure {
  const signature = registered?.signature ?? 'http';
  const otherMethod = registered?.http?.method === 'GET' ? 'POST' : 'GET';
  const request =
    signature === 'cloudevent'
      ? REFUSED_PUSH_DELIVERY
      : registered?.http?.access === 'none'
        ? { method: otherMethod }
        : {};
  return {
    env: { GCLOUD_PROJECT: 'demo-cold-start', LOG_LEVEL: 'info' },
    path: '',
    request,
    expected: (response) => isRefusal(signature, response),
  };
}

/** A real request of a registered user, against the local cloud's emulators. */
function realAnswer(
  cloud: LocalCloud,
  fixture: Fixture,
  path: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Measure {
  return {
    env: { ...cloud.env, ...extraEnv, LOG_LEVEL: 'info' },
    path,
    request: { headers: { Authorization: `Bearer ${fixture.idToken}` } },
    expected: (response) => response.status === 200,
  };
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

function ratio(value: number | undefined, baseline: number | undefined): number | undefined {
  return value === undefined || baseline === undefined ? undefined : value / baseline;
}

function summarise(samples: ReadonlyMap<string, Sample[]>): Result[] {
  const medianMsOf = (runs: readonly Sample[]): number => median(runs.map((sample) => sample.ms));
  const hello = samples.get(HELLO) ?? [];
  const minimal = samples.get(MINIMAL) ?? [];
  return [...samples].map(([name, runs]) => {
    const medianMs = medianMsOf(runs);
    const cpuMs = medianCpuMs(runs);
    return {
      name,
      runs: runs.length,
      medianMs,
      helloRatio: medianMs / medianMsOf(hello),
      minimalRatio: medianMs / medianMsOf(minimal),
      cpuHelloRatio: ratio(cpuMs, medianCpuMs(hello)),
      cpuMinimalRatio: ratio(cpuMs, medianCpuMs(minimal)),
      statuses: [...new Set(runs.map((sample) => sample.status))].join(','),
    };
  });
}

function targetRatio(result: Result, figure: Figure): number {
  return figure.baseline === HELLO ? result.helloRatio : result.minimalRatio;
}

function verdict(result: Result, figure: Figure): string {
  if (result.name === HELLO || result.name === MINIMAL) return 'baseline';
  if (result.name === MINIMAL_REST) return 'transport comparison';
  return targetRatio(result, figure) <= TARGET_RATIO ? 'ok' : 'over target';
}

/** Prints one figure's table; returns the functions over its target. */
function print(figure: Figure): Result[] {
  const results = summarise(figure.samples);
  const fixed = (value: number | undefined): string => (value?.toFixed(2) ?? '-').padStart(7);
  console.log(`\n${figure.title} (target: ${TARGET_RATIO}x ${figure.baseline})`);
  console.log(
    `${'function'.padEnd(22)} runs    median  x hello  x minimal  cpu x hello  cpu x minimal  status`,
  );
  for (const result of results) {
    console.log(
      [
        result.name.padEnd(22),
        String(result.runs).padStart(4),
        `${result.medianMs.toFixed(0)} ms`.padStart(9),
        fixed(result.helloRatio).padStart(8),
        fixed(result.minimalRatio).padStart(10),
        fixed(result.cpuHelloRatio).padStart(12),
        fixed(result.cpuMinimalRatio).padStart(14),
        ` ${result.statuses} ${verdict(result, figure)}`,
      ].join(' '),
    );
  }
  return results.filter((result) => verdict(result, figure) === 'over target');
}

function printEagerImports(slow: readonly Result[], bundles: readonly BuiltBundle[]): void {
  const names = new Set(slow.map((result) => result.name));
  const eager = new Set(
    bundles
      .filter((bundle) => names.has(bundle.name))
      .flatMap((bundle) => bundle.contents.eagerImports.map(describeImport)),
  );
  if (eager.size === 0) return;
  console.log(`\nLoaded at start by the functions over ${TARGET_RATIO}x (make the heavy ones lazy):`);
  for (const line of [...eager].sort()) console.log(`  ${line}`);
}

/** The figure that decides whether production should set `preferRest`: same function, both transports. */
function printTransportComparison(answers: ReadonlyMap<string, Sample[]>): void {
  const medianOf = (name: string, pick: (sample: Sample) => number | undefined): number | undefined => {
    const values = (answers.get(name) ?? []).flatMap((sample) => pick(sample) ?? []);
    return values.length === 0 ? undefined : median(values);
  };
  const [grpc, rest] = [MINIMAL, MINIMAL_REST].map((name) => medianOf(name, (sample) => sample.ms));
  const [grpcCpu, restCpu] = [MINIMAL, MINIMAL_REST].map((name) => medianOf(name, (sample) => sample.cpuMs));
  const format = (value: number | undefined): string =>
    value === undefined ? '-' : `${value.toFixed(0)} ms`;
  console.log(
    `\nFirestore transport, first real answer of the minimal function: gRPC ${format(grpc)}, REST (preferRest) ${format(rest)}` +
      ` (x${ratio(rest, grpc)?.toFixed(2) ?? '-'}); CPU gRPC ${format(grpcCpu)}, REST ${format(restCpu)}` +
      ` (x${ratio(restCpu, grpcCpu)?.toFixed(2) ?? '-'}).`,
  );
}

/**
 * Round-robin, one process at a time, so that load from elsewhere on the machine hits every bundle alike;
 * rounds stop at `deadline` (a `Date.now()` value).
 */
async function measureRounds(
  label: string,
  bundles: readonly BuiltBundle[],
  rounds: number,
  deadline: number,
  measureOf: (bundle: BuiltBundle) => Measure,
): Promise<Map<string, Sample[]>> {
  const samples = new Map(bundles.map((bundle) => [bundle.name, [] as Sample[]]));
  const started = Date.now();
  for (let round = 1; round <= rounds && Date.now() < deadline; round += 1) {
    for (const bundle of bundles) {
      const sample = await coldStart(bundle, measureOf(bundle));
      if (!sample.expected) {
        throw new Error(`${bundle.name} answered ${sample.status} to its ${label} request`);
      }
      samples.get(bundle.name)?.push(sample);
    }
    console.log(
      `${label}: round ${round}/${rounds} done after ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  const done = samples.get(HELLO)?.length ?? 0;
  if (done < rounds)
    console.log(`${label}: only ${done} of ${rounds} rounds fitted in time: a busy machine.`);
  return samples;
}

async function identityToolkit(cloud: LocalCloud, method: string, email: string): Promise<string> {
  const url = `http://${cloud.authAddress}/identitytoolkit.googleapis.com/v1/accounts:${method}?key=fake-api-key`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, returnSecureToken: true }),
  });
  if (!response.ok)
    throw new Error(`accounts:${method} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { idToken: string }).idToken;
}

async function call(cloud: LocalCloud, name: string, idToken: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${cloud.functionsUrl}/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${idToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${name} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Signs up, registers, and signs in again: the token of the second sign-in carries the role claims. */
async function registeredAccount(cloud: LocalCloud, email: string, registration: object): Promise<string> {
  await call(cloud, 'register', await identityToolkit(cloud, 'signUp', email), registration);
  return identityToolkit(cloud, 'signInWithPassword', email);
}

/** A company admin's stored event and a registered user, through the functions as an app makes them. */
async function seed(cloud: LocalCloud): Promise<Fixture> {
  const person = { countryCode: 'FR', phoneNumber: '+33 1 23 45 67 89' };
  const admin = await registeredAccount(cloud, 'admin@cold-start.example', {
    ...person,
    name: 'Admin',
    username: 'coldadmin',
    role: 'admin',
    company: {
      ...person,
      name: 'Cold Start',
      address: '1 rue de Rivoli, Paris',
      email: 'hello@cold-start.example',
      registrationNumber: 'RCS 1',
    },
  });
  const created = (await call(cloud, 'createEvent', admin, {
    name: 'Cold start concert',
    startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    venue: 'Hall',
    location: { lat: 48.87, lng: 2.35 },
    totalTickets: 100,
    currency: 'EUR',
    basePrice: 2500,
    surgePrice: 3500,
    surgeThreshold: 80,
  })) as { event: { id: string } };
  const user = { ...person, name: 'User', username: 'colduser', role: 'user' };
  return {
    idToken: await registeredAccount(cloud, 'user@cold-start.example', user),
    eventId: created.event.id,
  };
}

async function measureRealAnswers(
  bundles: readonly BuiltBundle[],
  rounds: number,
): Promise<Map<string, Sample[]>> {
  const [cloud, metadata] = await Promise.all([
    startLocalCloud({ ports: { functions: 0, firestore: 0, auth: 0 } }),
    startMetadataStandIn(),
  ]);
  try {
    const fixture = await seed(cloud);
    const answering = bundles.filter((bundle) => REAL_REQUESTS[bundle.name] !== undefined);
    return await measureRounds(
      'first real answer',
      answering,
      rounds,
      Date.now() + ANSWER_DEADLINE_MS,
      (bundle) =>
        realAnswer(
          cloud,
          fixture,
          REAL_REQUESTS[bundle.name]?.(fixture) ?? '',
          bundle.name === MINIMAL_REST ? metadata.env : {},
        ),
    );
  } finally {
    await Promise.all([cloud.stop(), metadata.stop()]);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
  const rounds = Number(values.runs);
  const started = Date.now();
  const bundles = await buildAll();
  const registered = new Map(functionRegistry.map((fn) => [fn.name, fn]));
  const refusals = await measureRounds('first refusal', bundles, rounds, started + DEADLINE_MS, (bundle) =>
    refusal(registered.get(bundle.name)),
  );
  const answers = await measureRealAnswers(bundles, rounds);
  const slowAnswers = print({
    title: "First real answer: a registered user's token, one stored event, local emulators",
    samples: answers,
    baseline: MINIMAL,
  });
  const slowRefusals = print({
    title: 'First refusal: no token (401/405; issueTickets: a refused push), no emulator',
    samples: refusals,
    baseline: HELLO,
  });
  printEagerImports(slowRefusals, bundles);
  printTransportComparison(answers);
  if (slowAnswers.length > 0 || slowRefusals.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
