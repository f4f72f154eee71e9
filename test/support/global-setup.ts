import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startLocalCloud } from '../../local/cloud';
import { keepLocalCloud } from './local-cloud-handle';

/** The functions' output of the last integration run, for reading after a failure. */
const LOG_FILE = join(__dirname, '..', '..', 'reports', 'local-cloud.log');

/**
 * Jest global setup of the `integration` project: starts the local cloud on free ports and exports its
 * addresses through `process.env`, which the test workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  mkdirSync(dirname(LOG_FILE), { recursive: true });
  writeFileSync(LOG_FILE, '');
  const cloud = await startLocalCloud({
    ports: { functions: 0, firestore: 0, auth: 0 },
    log: (line) => appendFileSync(LOG_FILE, `${line}\n`),
  });
  keepLocalCloud(cloud);
  Object.assign(process.env, cloud.env, {
    FUNCTIONS_URL: cloud.functionsUrl,
    FCM_STAND_IN_URL: cloud.fcmUrl,
  });
}
