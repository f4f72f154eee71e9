import { deleteApp, getApps, initializeApp, type App } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { resetFirestoreEmulator } from '../../local/firestore/admin-client';
import { localCloudEnvironment } from './environment';

/** A named app, so that tests never share (or reconfigure) the default app that production code uses. */
const APP_NAME = 'integration-test-assertions';

function adminApp(): App {
  // The SDKs reach the emulators through FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST, which
  // localCloudEnvironment() insists on before any app exists.
  const { projectId } = localCloudEnvironment();
  return getApps().find((app) => app.name === APP_NAME) ?? initializeApp({ projectId }, APP_NAME);
}

// Each test file loads this module afresh; its open gRPC channels would keep the jest worker from exiting.
afterAll(async () => {
  const app = getApps().find((candidate) => candidate.name === APP_NAME);
  if (app) await deleteApp(app);
});

/** firebase-admin Firestore on the test emulator, to arrange data and assert on what the functions stored. */
export function adminFirestore(): Firestore {
  return getFirestore(adminApp());
}

/** firebase-admin Auth on the test emulator, e.g. to set custom claims or revoke refresh tokens. */
export function adminAuth(): Auth {
  return getAuth(adminApp());
}

/**
 * Wipes all data of the test emulator and aborts its open transactions. The test files of parallel jest
 * workers share that emulator, so prefer unique ids to resets wherever data of other files may exist.
 */
export function resetFirestore(): Promise<void> {
  return resetFirestoreEmulator(localCloudEnvironment().firestoreAddress);
}
