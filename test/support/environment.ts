/** Where the integration tests find the local cloud that the jest global setup started. */
export interface LocalCloudEnvironment {
  readonly functionsUrl: string;
  readonly firestoreAddress: string;
  readonly authAddress: string;
  readonly projectId: string;
  /** Base URL of the FCM stand-in (`GET /pushes`, `POST /control/tokens`). */
  readonly fcmUrl: string;
}

/**
 * Reads the addresses exported by `global-setup.ts`. Throws when they are missing, so that a test run outside
 * the `integration` jest project fails clearly instead of reaching for real Google Cloud services.
 */
export function localCloudEnvironment(): LocalCloudEnvironment {
  return {
    functionsUrl: required('FUNCTIONS_URL'),
    firestoreAddress: required('FIRESTORE_EMULATOR_HOST'),
    authAddress: required('FIREBASE_AUTH_EMULATOR_HOST'),
    projectId: required('GCLOUD_PROJECT'),
    fcmUrl: required('FCM_STAND_IN_URL'),
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run integration tests with \`npx jest --selectProjects integration\``,
    );
  }
  return value;
}
