import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { functionRegistry } from '../functions/index';
import { bundleViolations } from './lib/bundle-contents';
import { BUNDLE_RULES, bundleFunctions, type BuiltBundle } from './lib/bundle-functions';
import {
  readTerraformModule,
  REPO_ROOT,
  terraformFunctions,
  type TerraformFunction,
} from './lib/terraform-config';

/**
 * `npm run build`: one deployable directory per registered function in `dist/<name>/` (see
 * docs/deployment.md), each holding only what its entry file imports. Fails when a bundle carries code its
 * function has no business loading: Pub/Sub or Stripe without the grant in terraform/functions.tf (cold
 * start, and a sign of a wrong import), or anything from local/ or test/; and when a function loads one of
 * the big SDKs at start instead of on first use.
 */

const DIST = join(REPO_ROOT, 'dist');
const BIGGEST_PACKAGES = 3;

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

function summary(bundle: BuiltBundle): string {
  const biggest = [...bundle.contents.packageBytes]
    .sort(([, a], [, b]) => b - a)
    .slice(0, BIGGEST_PACKAGES)
    .map(([pkg, bytes]) => `${pkg} ${kib(bytes)}`);
  const sizes = `${kib(bundle.bytes).padStart(9)} (${kib(bundle.startupBytes).padStart(9)} at start)`;
  return `${bundle.name.padEnd(20)} ${sizes}  biggest: ${biggest.join(', ')}`;
}

function violationsOf(bundle: BuiltBundle, declared: TerraformFunction | undefined): string[] {
  // A function Terraform does not declare yet gets no grants: the consistency test reports it.
  const permissions = {
    publishes: (declared?.publishes.length ?? 0) > 0,
    stripe: (declared?.stripe_secrets.length ?? 0) > 0,
  };
  return bundleViolations(`functions/${bundle.name}.ts`, bundle.contents, permissions, BUNDLE_RULES).map(
    (violation) => `${bundle.name} ${violation}`,
  );
}

async function main(): Promise<void> {
  const declared = terraformFunctions(await readTerraformModule());
  const entries = Object.fromEntries(
    functionRegistry.map(({ name }) => [name, join(REPO_ROOT, 'functions', `${name}.ts`)]),
  );
  await rm(DIST, { recursive: true, force: true });
  const bundles = await bundleFunctions(entries, DIST);
  for (const bundle of bundles) console.log(summary(bundle));
  const violations = bundles.flatMap((bundle) => violationsOf(bundle, declared.get(bundle.name)));
  if (violations.length > 0) {
    console.error(`\nbuild failed:\n  ${violations.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
