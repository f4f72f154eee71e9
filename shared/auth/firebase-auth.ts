import type { Auth } from 'firebase-admin/auth';

/**
 * The process-wide Firebase Auth client. The Admin SDK's app and auth modules (with google-auth-library and
 * the JWT stack) are imported on the first call rather than when a function loads: an instance listens
 * sooner after a cold start, and requests refused before any token check (no token, wrong method) never
 * load them (docs/deployment.md, Cold start).
 */
export async function firebaseAuth(): Promise<Auth> {
  const [{ getAuth }, { firebaseApp }] = await Promise.all([
    import('firebase-admin/auth'),
    import('../firebase/app'),
  ]);
  return getAuth(firebaseApp());
}
