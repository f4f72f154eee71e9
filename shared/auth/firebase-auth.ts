import type { Auth } from 'firebase-admin/auth';

let auth: Promise<Auth> | undefined;

/**
 * The process-wide Firebase Auth client. The Admin SDK's app and auth modules (with google-auth-library and
 * the JWT stack) are imported on the first call rather than when a function loads: an instance listens
 * sooner after a cold start, and requests refused before any token check (no token, wrong method) never
 * load them (docs/deployment.md, Cold start). The client is kept, so that later calls (every admin and
 * door request verifies a token) do not resolve the two modules again.
 */
export function firebaseAuth(): Promise<Auth> {
  auth ??= Promise.all([import('firebase-admin/auth'), import('../firebase/app')]).then(
    ([{ getAuth }, { firebaseApp }]) => getAuth(firebaseApp()),
  );
  return auth;
}
