import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stop as stopEsbuild } from 'esbuild';
import { bundleFunctions } from '../../scripts/lib/bundle-functions';
import { startBundle, type RunningBundle } from '../../scripts/lib/run-bundle';
import { REPO_ROOT } from '../../scripts/lib/terraform-config';
import { createSignedInUser } from '../support/auth-users';
import { localCloudEnvironment } from '../support/environment';

// The deployable bundles themselves, not the sources: esbuild could drop a file the SDKs read at run time
// (gRPC protos, JSON descriptors) or duplicate a module the framework must share. Each bundle runs in its
// own functions-framework process, as in production, against the local cloud's emulators.

let outDir: string;
const running: RunningBundle[] = [];
let registerUrl: string;
let meUrl: string;

async function serve(name: string): Promise<string> {
  const cloud = localCloudEnvironment();
  const bundle = await startBundle({
    name,
    dir: join(outDir, name),
    env: {
      GCLOUD_PROJECT: cloud.projectId,
      FIRESTORE_EMULATOR_HOST: cloud.firestoreAddress,
      FIREBASE_AUTH_EMULATOR_HOST: cloud.authAddress,
    },
  });
  running.push(bundle);
  return `${bundle.url}/${name}`;
}

beforeAll(async () => {
  // Inside the repository, so that the bundles (ES modules, which ignore NODE_PATH) resolve the framework
  // from its node_modules, as they resolve it from their own in production.
  await mkdir(join(REPO_ROOT, 'reports'), { recursive: true });
  outDir = await mkdtemp(join(REPO_ROOT, 'reports', 'bundles-'));
  const entry = (name: string): string => join(REPO_ROOT, 'functions', `${name}.ts`);
  await bundleFunctions({ register: entry('register'), me: entry('me') }, outDir);
  [registerUrl, meUrl] = await Promise.all([serve('register'), serve('me')]);
});

afterAll(async () => {
  await stopEsbuild();
  await Promise.all(running.map((bundle) => bundle.stop()));
  await rm(outDir, { recursive: true, force: true });
});

describe('built function bundles', () => {
  it('register and read back a profile through Firestore and Firebase Auth', async () => {
    const user = await createSignedInUser();
    const registered = await fetch(registerUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${user.idToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Bundle Tester',
        username: `bundle_${user.uid.slice(0, 12).toLowerCase()}`,
        countryCode: 'DE',
        phoneNumber: '+49 30 1234567',
        role: 'user',
      }),
    });
    expect(registered.status).toBe(201);
    const profile = await fetch(meUrl, { headers: { Authorization: `Bearer ${await user.refresh()}` } });
    expect(profile.status).toBe(200);
    expect(await profile.json()).toMatchObject({ user: { id: user.uid, role: 'user' } });
  });

  it('answer malformed JSON with problem+json, through the framework’s own Express', async () => {
    const user = await createSignedInUser();
    const response = await fetch(registerUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${user.idToken}`, 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
