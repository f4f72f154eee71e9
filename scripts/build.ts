import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegisteredFunctions } from './lib/build-functions';
import type { BuiltBundle } from './lib/bundle-functions';
import { REPO_ROOT } from './lib/terraform-config';

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

async function main(): Promise<void> {
  await rm(DIST, { recursive: true, force: true });
  const { bundles, violations } = await buildRegisteredFunctions(DIST);
  for (const bundle of bundles) console.log(summary(bundle));
  if (violations.length > 0) {
    console.error(`\nbuild failed:\n  ${violations.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
