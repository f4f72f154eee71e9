import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stop as stopEsbuild } from 'esbuild';
import { bundleViolations, packageName, type BundleContents } from '../../scripts/lib/bundle-contents';
import { buildRegisteredFunctions } from '../../scripts/lib/build-functions';
import { BUNDLE_RULES, bundleFunctions, RUNTIME_DEPENDENCIES } from '../../scripts/lib/bundle-functions';
import { REPO_ROOT } from '../../scripts/lib/terraform-config';
import { functionRegistry } from '../../functions/index';

const noGrants = { publishes: false, stripe: false };

function contents(overrides: Partial<BundleContents>): BundleContents {
  return {
    packageBytes: new Map([['firebase-admin', 1]]),
    sourceFiles: ['functions/me.ts', 'shared/users/user.ts'],
    externalPackages: new Set(RUNTIME_DEPENDENCIES),
    eagerImports: [],
    ...overrides,
  };
}

function violations(bundle: BundleContents, grants = noGrants): string[] {
  return bundleViolations('functions/me.ts', bundle, grants, BUNDLE_RULES);
}

describe('bundleViolations', () => {
  it('accepts a function bundling only its own entry, shared code and packages', () => {
    expect(violations(contents({}))).toEqual([]);
  });

  it('refuses Pub/Sub and Stripe in a function that Terraform grants neither', () => {
    const heavy = contents({
      packageBytes: new Map([
        ['@google-cloud/pubsub', 1],
        ['stripe', 1],
      ]),
    });
    expect(violations(heavy)).toEqual([
      expect.stringContaining('@google-cloud/pubsub'),
      expect.stringContaining('stripe'),
    ]);
    expect(violations(heavy, { publishes: true, stripe: true })).toEqual([]);
  });

  it('refuses Pub/Sub and Stripe grants to a function whose code uses neither', () => {
    expect(violations(contents({}), { publishes: true, stripe: true })).toEqual([
      expect.stringContaining('bundles no @google-cloud/pubsub'),
      expect.stringContaining('bundles no stripe'),
    ]);
  });

  it('refuses local cloud and test code, and other functions', () => {
    const leaky = contents({
      sourceFiles: ['functions/me.ts', 'functions/index.ts', 'local/cloud.ts', 'test/x.ts'],
    });
    expect(violations(leaky)).toEqual([
      expect.stringContaining('functions/index.ts'),
      expect.stringContaining('local/cloud.ts'),
      expect.stringContaining('test/x.ts'),
    ]);
  });

  it('refuses a run-time require that nothing installs, but not an optional one', () => {
    const external = contents({ externalPackages: new Set([...RUNTIME_DEPENDENCIES, 'encoding', 'sharp']) });
    expect(violations(external)).toEqual([expect.stringContaining('sharp')]);
  });

  it('refuses the big SDKs loaded at start, but not zod, nor the SDKs loaded on first use', () => {
    const eager = contents({
      packageBytes: new Map([
        ['firebase-admin', 1],
        ['stripe', 1],
      ]),
      eagerImports: [
        { file: 'shared/firebase/app.ts', specifier: 'firebase-admin/app' },
        { file: 'shared/payments/stripe-payment-gateway.ts', specifier: 'stripe' },
        { file: 'shared/config/config.ts', specifier: 'zod' },
      ],
    });
    expect(violations(eager, { publishes: false, stripe: true })).toEqual([
      expect.stringContaining('loads firebase-admin/app at start (imported by shared/firebase/app.ts)'),
      expect.stringContaining('loads stripe at start'),
    ]);
  });
});

describe('packageName', () => {
  it('names plain and scoped packages from specifiers and node_modules paths', () => {
    expect(packageName('express/lib/application.js')).toBe('express');
    expect(packageName('@google-cloud/firestore/build/src/index.js')).toBe('@google-cloud/firestore');
  });
});

describe('bundleFunctions', () => {
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bundle-'));
  });

  afterAll(async () => {
    // esbuild keeps a service process for later builds; this worker makes none.
    await stopEsbuild();
    await rm(outDir, { recursive: true, force: true });
  });

  it('builds me without Pub/Sub, Stripe or local code, with the manifests Cloud Build installs from', async () => {
    const bundles = await bundleFunctions({ me: join(REPO_ROOT, 'functions', 'me.ts') }, outDir);
    expect(bundles.map((bundle) => bundle.name)).toEqual(['me']);
    for (const { contents: bundle, bytes, startupBytes } of bundles) {
      expect(startupBytes).toBeGreaterThan(0);
      expect(startupBytes).toBeLessThanOrEqual(bytes);
      expect(bundle.packageBytes.has('firebase-admin')).toBe(true);
      expect(bundle.eagerImports).toEqual(
        expect.arrayContaining([{ file: 'shared/config/config.ts', specifier: 'zod' }]),
      );
      expect(violations(bundle)).toEqual([]);
    }
    const manifest = JSON.parse(await readFile(join(outDir, 'me', 'package.json'), 'utf8'));
    expect(manifest).toEqual({
      name: 'event-manager-me',
      private: true,
      type: 'module',
      main: 'index.js',
      dependencies: {
        '@google-cloud/functions-framework': expect.stringMatching(/^\d+\.\d+\.\d+$/),
        express: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      },
    });
    const lockfile = JSON.parse(await readFile(join(outDir, 'me', 'package-lock.json'), 'utf8'));
    expect(lockfile.packages['']).toEqual({ name: 'event-manager-me', dependencies: manifest.dependencies });
    expect(lockfile.packages['node_modules/express'].version).toBe(manifest.dependencies.express);
    for (const [path, entry] of Object.entries<Record<string, unknown>>(lockfile.packages)) {
      if (path === '') continue;
      expect({ path, integrity: typeof entry['integrity'], dev: entry['dev'] }).toEqual({
        path,
        integrity: 'string',
        dev: undefined,
      });
    }
  });

  // What `npm run build` checks, checked here too: a services module that starts importing the Pub/Sub
  // publisher or Stripe for a function without the grant fails the tests, not only the deployment's build.
  it('builds every registered function within what terraform/functions.tf grants it', async () => {
    const { bundles, violations } = await buildRegisteredFunctions(join(outDir, 'all'));
    expect(bundles.map((bundle) => bundle.name).sort()).toEqual(
      functionRegistry.map(({ name }) => name).sort(),
    );
    expect(violations).toEqual([]);
  }, 120_000);
});
