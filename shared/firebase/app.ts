import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getConfig } from '../config/config';

/**
 * The process-wide Firebase Admin app, created on first use so that a function pays for it only when it
 * needs it. Emulator hosts are picked up by the Admin SDK from the standard `*_EMULATOR_HOST` variables.
 */
export function firebaseApp(): App {
  return getApps()[0] ?? initializeApp({ projectId: getConfig().projectId });
}
