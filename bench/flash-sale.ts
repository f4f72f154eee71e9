import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_SHARDING_POLICY, type ShardingPolicy } from '../shared/inventory/shard-layout';
import { googleEmulatorGcloud, startGoogleEmulator } from '../test/support/google-emulator';
import { type EmulatorProcess, startEmulatorProcess } from './firestore-emulator-process';
import { runHttpSale } from './flash-sale-http';
import { FIRESTORE_COMMIT_LATENCY_MS, runSale, type SaleReport, type SaleSetup } from './flash-sale-run';

/**
 * `npm run bench:flash`: a flash sale against the Firestore emulator with production-like lock hold times,
 * with the sharded inventory and with a single shard per price pool, alternating over a few rounds (the
 * median is reported: lock contention is chaotic and the machine may be shared). The booking service is
 * driven directly (no HTTP layer) by simulated function instances, each with its own Admin SDK client and
 * shard hints, so that bookings from different instances meet on shards as they do in production; the
 * instances run in a few load-generator processes (flash-sale-worker.ts) so that they can use more than one
 * core. The emulator runs in a process of its own, as the database is a separate service in production.
 *
 * Every sale is preceded by an identical one that is not timed: the same instances, in the same processes,
 * sell out an event of the same shape with the same attempts. Code runs unoptimised until it has run many
 * times, and much of a sale's code runs only late in it (the end of the base pool, the surge pool, sold-out
 * answers); on a machine whose CPU the sharded sale is bound by, cold instances measured their own start.
 * The first of these sales also warms the emulator process (its first sale cost it about twice the CPU
 * per booking of later ones; the production database is a warm service). See flash-sale-worker.ts.
 *
 * A second configuration follows, labelled "over HTTP": a smaller sale through the whole HTTP path of one
 * local functions instance (flash-sale-http.ts), once, after the rounds.
 *
 * `npm run bench:flash -- --emulator google [--rounds N] [--tickets N]` runs the rounds against Google's Firestore
 * emulator (gcloud's component) instead, as a second opinion on correctness: the same checks, on a
 * database implementation that is not ours. Its figures are not comparable with ours: it has no commit
 * latency setting and waits for lock timeouts where production (and ours) wounds the younger transaction
 * (docs/inventory.md, Google's emulator as a second opinion). The HTTP configuration runs only against ours.
 */

const DEFAULT_ROUNDS = 5;

const SETUP: SaleSetup = {
  projectId: 'demo-flash-sale',
  totalTickets: 1_000,
  surgeThreshold: 500,
  basePrice: 5_000,
  surgePrice: 8_000,
  maxTicketsPerBooking: 4,
  attempts: 4_000,
  instances: 8,
  inFlightPerInstance: 25,
  processes: 2,
};

interface Configuration {
  readonly label: string;
  readonly policy: ShardingPolicy;
}

const CONFIGURATIONS: readonly Configuration[] = [
  {
    label: `sharded (up to ${DEFAULT_SHARDING_POLICY.maxShardsPerPool}/pool)`,
    policy: DEFAULT_SHARDING_POLICY,
  },
  {
    label: 'single shard per pool',
    policy: { maxShardsPerPool: 1, ticketsPerShard: Number.MAX_SAFE_INTEGER },
  },
];

function machineLoad(): string {
  return `load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs`;
}

function describe(report: SaleReport): string {
  const { latency, outcomes } = report;
  return [
    `${report.label.padEnd(26)} ${report.bookingsPerSecond.toFixed(1).padStart(6)} bookings/s`,
    `sold out in ${report.sellOutSeconds.toFixed(1)} s`,
    `p50/p95/p99 ${latency.p50.toFixed(0)}/${latency.p95.toFixed(0)}/${latency.p99.toFixed(0)} ms`,
    `${outcomes.booked} booked, ${outcomes['sold-out']} sold-out, ${outcomes.busy} 429, ${outcomes.error} errors`,
    `tickets ${report.ticketsBooked} (${report.baseTickets} at base), oversold ${report.oversold}`,
    report.shardsOutOfBalance.length === 0
      ? 'shards balance'
      : `SHARDS OUT OF BALANCE: ${report.shardsOutOfBalance.join(', ')}`,
    `unsold while demand ${report.unsoldWhileDemandRemained}`,
    report.warmUpFaults.length === 0
      ? 'warm-up sale correct'
      : `WARM-UP SALE WRONG: ${report.warmUpFaults.join(', ')}`,
    `CPU until sold out: clients ${report.clientCores.toFixed(2)} cores (${report.clientMsPerBooking.toFixed(1)} ms/booking)`,
    report.emulatorCores === undefined || report.emulatorMsPerBooking === undefined
      ? 'emulator n/a'
      : `emulator ${report.emulatorCores.toFixed(2)} cores (${report.emulatorMsPerBooking.toFixed(1)} ms/booking)`,
  ].join(' | ');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The database the rounds run against. */
interface BenchDatabase {
  readonly description: string;
  readonly emulator: EmulatorProcess;
  readonly ours: boolean;
}

/** Our emulator in a process of its own, or Google's through gcloud (its CPU is not sampled). */
async function startDatabase(kind: 'ours' | 'google', projectId: string): Promise<BenchDatabase> {
  if (kind === 'ours') {
    return {
      description: `the Firestore emulator runs in its own process with a commit latency of ${FIRESTORE_COMMIT_LATENCY_MS} ms`,
      emulator: await startEmulatorProcess(FIRESTORE_COMMIT_LATENCY_MS),
      ours: true,
    };
  }
  const gcloud = googleEmulatorGcloud('firestore');
  if (gcloud === undefined)
    throw new Error("--emulator google needs gcloud with Google's Firestore emulator");
  const google = await startGoogleEmulator('firestore', gcloud, projectId);
  return {
    description: "Google's Firestore emulator (gcloud) runs in its own process, without added commit latency",
    emulator: { address: google.address, cpuSeconds: async () => undefined, stop: () => google.stop() },
    ours: false,
  };
}

/**
 * The command line: which emulator, how many rounds, and how many tickets (half at base price, four
 * attempts per ticket, as in the default sale), so that a slower database can run a smaller sale.
 */
function parseOptions(): { kind: 'ours' | 'google'; rounds: number; sale: SaleSetup } {
  const { values } = parseArgs({
    options: {
      emulator: { type: 'string', default: 'ours' },
      rounds: { type: 'string', default: String(DEFAULT_ROUNDS) },
      tickets: { type: 'string', default: String(SETUP.totalTickets) },
    },
  });
  const rounds = Number(values.rounds);
  const tickets = Number(values.tickets);
  const kind = values.emulator;
  if (
    (kind !== 'ours' && kind !== 'google') ||
    !Number.isInteger(rounds) ||
    rounds < 1 ||
    !Number.isInteger(tickets) ||
    tickets < 2
  ) {
    throw new Error('usage: npm run bench:flash -- [--emulator ours|google] [--rounds N] [--tickets N]');
  }
  const sale: SaleSetup = {
    ...SETUP,
    totalTickets: tickets,
    surgeThreshold: Math.floor(tickets / 2),
    attempts: (SETUP.attempts / SETUP.totalTickets) * tickets,
  };
  return { kind, rounds, sale };
}

async function main(): Promise<void> {
  const { kind, rounds, sale } = parseOptions();
  const database = await startDatabase(kind, sale.projectId);
  const { emulator } = database;
  // Read by the Admin SDK when each simulated instance creates its client.
  process.env.FIRESTORE_EMULATOR_HOST = emulator.address;
  process.env.GCLOUD_PROJECT = sale.projectId;
  process.env.LOG_LEVEL ??= 'error';
  // There is no metadata server to ask for credentials; the emulator needs none.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  console.log(
    [
      `Flash sale: ${sale.totalTickets} tickets (${sale.surgeThreshold} at base price), ${sale.attempts} booking attempts of`,
      `1-${sale.maxTicketsPerBooking} tickets by distinct users from ${sale.instances} simulated function instances with`,
      `${sale.inFlightPerInstance} calls in flight each (${sale.instances * sale.inFlightPerInstance} in all) in ${sale.processes} load-generator processes, ${rounds} rounds.`,
      'The booking service is called in-process (no HTTP layer) through firebase-admin;',
      `${database.description}.`,
      `Machine at start: ${machineLoad()}.`,
    ].join('\n'),
  );
  const reports: SaleReport[][] = CONFIGURATIONS.map(() => []);
  for (let round = 1; round <= rounds; round += 1) {
    console.log(`\nround ${round}`);
    for (const [index, { label, policy }] of CONFIGURATIONS.entries()) {
      const report = await runSale(label, policy, sale, () => emulator.cpuSeconds());
      reports[index]?.push(report);
      console.log(`  ${describe(report)}`);
    }
  }
  const [sharded = 0, single = 0] = reports.map((runs) => median(runs.map((run) => run.bookingsPerSecond)));
  const all = reports.flat();
  console.log(
    [
      '',
      `median bookings/s: sharded ${sharded.toFixed(1)}, single shard ${single.toFixed(1)}`,
      `throughput ratio (sharded / single): ${(sharded / single).toFixed(1)}x`,
      `tickets oversold in any run: ${Math.max(...all.map((run) => run.oversold))}; ` +
        `unsold while demand remained: ${Math.max(...all.map((run) => run.unsoldWhileDemandRemained))}`,
      `Machine at end: ${machineLoad()}.`,
    ].join('\n'),
  );
  await emulator.stop();
  let overHttpFailed = false;
  if (database.ours) {
    const overHttp = await runHttpSale(FIRESTORE_COMMIT_LATENCY_MS);
    console.log(['', ...overHttp.lines].join('\n'));
    overHttpFailed = overHttp.failed;
  }
  const failed =
    overHttpFailed ||
    all.some(
      (run) =>
        run.oversold > 0 ||
        run.shardsOutOfBalance.length > 0 ||
        run.outcomes.error > 0 ||
        run.warmUpFaults.length > 0,
    );
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
