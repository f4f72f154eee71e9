import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { startLocalCloud } from '../../local/cloud';
import { setFirestoreCommitFaults } from '../../local/firestore/admin-client';
import { setPubSubDeliveryFaults } from '../../local/pubsub/admin-client';
import { runChaosRound, SHORT_ROUND, type ChaosShape } from './chaos-round';

/**
 * `npm run test:chaos [-- --seed N --rounds N --fault-rate F --latency-rate F --pubsub-fault-rate F
 * --stripe-fault-rate F]`: starts a local cloud and runs seeded chaos rounds against
 * it (docs/inventory.md, Chaos runs); prints the seed, each round's counts and every broken invariant, and
 * exits 1 if any invariant broke.
 */

const SOAK_ROUND: ChaosShape = {
  sale: {
    totalTickets: 40,
    surgeThreshold: 20,
    basePrice: 5_000,
    surgePrice: 8_000,
    maxTicketsPerBooking: 4,
  },
  clients: 14,
  faultRate: SHORT_ROUND.faultRate,
  latencySpikes: { fraction: 0.05, delayMs: 400 },
  pubsub: { duplicateFraction: 0.2, delayFraction: 0.2, delayMs: 1_500 },
  // Alone on its local cloud, the run lets every commit fail: outbox, idempotency records, rate limits.
  faultsOnEventOnly: false,
  stripeFaultRate: 0.1,
  settleMs: 60_000,
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      rounds: { type: 'string' },
      'fault-rate': { type: 'string' },
      'stripe-fault-rate': { type: 'string' },
      'latency-rate': { type: 'string' },
      'pubsub-fault-rate': { type: 'string' },
    },
  });
  const seed = values.seed === undefined ? randomInt(1, 1_000_000) : Number(values.seed);
  const rounds = values.rounds === undefined ? 5 : Number(values.rounds);
  const rate = (given: string | undefined, otherwise: number) =>
    given === undefined ? otherwise : Number(given);
  const faultRate = rate(values['fault-rate'], SOAK_ROUND.faultRate);
  const stripeFaultRate = rate(values['stripe-fault-rate'], SOAK_ROUND.stripeFaultRate);
  const latencyRate = rate(values['latency-rate'], SOAK_ROUND.latencySpikes.fraction);
  const pubsubFaultRate = rate(values['pubsub-fault-rate'], SOAK_ROUND.pubsub.duplicateFraction);
  const isRate = (value: number) => value >= 0 && value <= 1;
  if (
    !Number.isInteger(seed) ||
    !Number.isInteger(rounds) ||
    rounds < 1 ||
    ![faultRate, stripeFaultRate, latencyRate, pubsubFaultRate].every(isRate)
  ) {
    process.stderr.write(
      'usage: npm run test:chaos -- [--seed N] [--rounds N] [--fault-rate 0..1] [--latency-rate 0..1] [--pubsub-fault-rate 0..1] [--stripe-fault-rate 0..1]\n',
    );
    return 2;
  }
  const shape: ChaosShape = {
    ...SOAK_ROUND,
    faultRate,
    stripeFaultRate,
    latencySpikes: { ...SOAK_ROUND.latencySpikes, fraction: latencyRate },
    pubsub: { ...SOAK_ROUND.pubsub, duplicateFraction: pubsubFaultRate, delayFraction: pubsubFaultRate },
  };
  process.stdout.write(
    `chaos: seed ${seed}, ${rounds} rounds, fault rate ${faultRate}, latency spikes ${latencyRate} (${shape.latencySpikes.delayMs} ms), Pub/Sub duplicates and delays ${pubsubFaultRate} (${shape.pubsub.delayMs} ms), Stripe fault rate ${stripeFaultRate} (replay with --seed ${seed})\n`,
  );
  const cloud = await startLocalCloud({ ports: { functions: 0, firestore: 0, auth: 0 } });
  Object.assign(process.env, cloud.env);
  const app = initializeApp({ projectId: cloud.projectId }, 'chaos');
  const chaosCloud = {
    functionsUrl: cloud.functionsUrl,
    authAddress: cloud.authAddress,
    stripeUrl: cloud.stripeUrl,
    stripeFaultsAllowed: true,
    db: getFirestore(app),
    auth: getAuth(app),
    setCommitFaults: (faults: Parameters<typeof setFirestoreCommitFaults>[1]) =>
      setFirestoreCommitFaults(cloud.firestoreAddress, faults, 'chaos'),
    setDeliveryFaults: (faults: Parameters<typeof setPubSubDeliveryFaults>[1]) =>
      setPubSubDeliveryFaults(cloud.pubsubAddress, faults),
  };
  const violations: string[] = [];
  const totals: Record<string, number> = {};
  const started = Date.now();
  try {
    for (let index = 0; index < rounds; index += 1) {
      const roundStarted = Date.now();
      const report = await runChaosRound(chaosCloud, shape, seed, index);
      violations.push(...report.violations);
      for (const [name, value] of Object.entries(report.stats)) totals[name] = (totals[name] ?? 0) + value;
      const counts = Object.entries(report.stats)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ');
      const seconds = ((Date.now() - roundStarted) / 1000).toFixed(1);
      process.stdout.write(
        `round ${index} (${seconds} s): ${report.violations.length === 0 ? 'ok' : `${report.violations.length} VIOLATIONS`} | ${counts}\n`,
      );
      for (const violation of report.violations) process.stdout.write(`  ${violation}\n`);
    }
  } finally {
    await deleteApp(app);
    await cloud.stop();
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  process.stdout.write(
    `chaos: seed ${seed}, ${rounds} rounds in ${minutes} min, ${violations.length} violations | ${Object.entries(
      totals,
    )
      .map(([name, value]) => `${name} ${value}`)
      .join(', ')}\n`,
  );
  return violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `chaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
