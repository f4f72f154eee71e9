import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { REPO_ROOT } from './terraform-config';

const lockEntrySchema = z.looseObject({
  version: z.string().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
  peerDependencies: z.record(z.string(), z.string()).optional(),
});
type LockEntry = z.infer<typeof lockEntrySchema>;

const lockfileSchema = z.looseObject({
  lockfileVersion: z.literal(3),
  packages: z.record(z.string(), lockEntrySchema),
});

/** Where Node would find `dependency` from the package installed at `from` (`''` is the root). */
function resolveIn(
  packages: Record<string, LockEntry>,
  from: string,
  dependency: string,
): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${dependency}`;
    if (candidate in packages) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}

function dependenciesOf(entry: LockEntry): string[] {
  return Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies });
}

/**
 * A package-lock.json for a function's deployment directory: the subset of the project's own lockfile
 * that its `dependencies` need, at the same paths, versions and integrity hashes. With it Cloud Build runs
 * `npm ci` and installs exactly what the tests ran with, instead of resolving ranges on the day of deploy.
 */
export async function deploymentLockfile(
  name: string,
  dependencies: Readonly<Record<string, string>>,
): Promise<string> {
  const lockfile = lockfileSchema.parse(
    JSON.parse(await readFile(join(REPO_ROOT, 'package-lock.json'), 'utf8')),
  );
  const selected: Record<string, LockEntry> = {};
  const pending = Object.keys(dependencies).map((dependency) => ({ from: '', dependency, required: true }));
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const path = resolveIn(lockfile.packages, next.from, next.dependency);
    if (path === undefined) {
      // Optional and peer dependencies the project never installed are not needed either.
      if (!next.required) continue;
      throw new Error(`package-lock.json has no ${next.dependency} for ${next.from || name}`);
    }
    if (path in selected) continue;
    // These flags describe the entry's place in the project's tree, not in the function's.
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lockfile.packages[path] ?? {};
    selected[path] = entry;
    const required = new Set(Object.keys(entry.dependencies ?? {}));
    for (const dependency of dependenciesOf(entry)) {
      pending.push({ from: path, dependency, required: required.has(dependency) });
    }
  }
  const sorted = Object.fromEntries(Object.entries(selected).sort(([a], [b]) => a.localeCompare(b)));
  const packages = { '': { name, dependencies }, ...sorted };
  return `${JSON.stringify({ name, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}
