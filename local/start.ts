import { DEFAULT_PROJECT_ID, startLocalCloud, type LocalCloud } from './cloud';
import { parseCommitFaults } from './firestore/faults';
import { parseDeliveryFaults } from './pubsub/delivery-faults';
import { startSchedulerTimer } from './scheduler-timer';
import { DEFAULT_PORTS, parsePort } from './ports';

/**
 * `npm start`: the whole backend offline on the ports of the API contract, until Ctrl-C. `PORT` moves the
 * functions, `GCLOUD_PROJECT` changes the project id, `FIRESTORE_EMULATOR_COMMIT_FAULTS` (JSON) makes the
 * Firestore emulator fail commits (docs/local-firestore-emulator.md).
 */

/** `startupMs` counts from this process's start, as a developer waiting for the backend does. */
function printSummary(cloud: LocalCloud, startupMs: number): void {
  const exports = Object.entries(cloud.env).map(([name, value]) => `  export ${name}='${value}'`);
  console.log(
    [
      '',
      `Event Manager local cloud ready in ${(startupMs / 1000).toFixed(1)} s (project ${cloud.projectId})`,
      `  functions           ${cloud.functionsUrl}/<functionName>`,
      `  Firestore emulator  ${cloud.firestoreAddress} (gRPC)`,
      `  Auth emulator       http://${cloud.authAddress}`,
      `  Pub/Sub emulator    ${cloud.pubsubAddress} (gRPC)`,
      `  Stripe sandbox      ${cloud.stripeUrl} (webhooks to stripeWebhook)`,
      `  FCM stand-in        ${cloud.fcmUrl} (GET /pushes lists what was pushed)`,
      '',
      'Point SDKs and tools at it with:',
      ...exports,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

function stopOnSignal(cloud: LocalCloud, scheduler: { stop(): void }): void {
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`\n${signal}: stopping the local cloud…`);
    scheduler.stop();
    cloud.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(): Promise<void> {
  const cloud = await startLocalCloud({
    ports: { ...DEFAULT_PORTS, functions: parsePort('PORT', process.env.PORT, DEFAULT_PORTS.functions) },
    projectId: process.env.GCLOUD_PROJECT ?? DEFAULT_PROJECT_ID,
    firestoreCommitFaults: parseCommitFaults(process.env.FIRESTORE_EMULATOR_COMMIT_FAULTS ?? '[]'),
    pubsubDeliveryFaults: parseDeliveryFaults(process.env.PUBSUB_EMULATOR_DELIVERY_FAULTS ?? '{}'),
    log: (line) => console.log(line),
  });
  // Production runs the scheduled jobs from Cloud Scheduler; locally timers play that part.
  const scheduler = startSchedulerTimer({
    functionsUrl: cloud.functionsUrl,
    log: (line) => console.log(line),
  });
  stopOnSignal(cloud, scheduler);
  printSummary(cloud, performance.now());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
