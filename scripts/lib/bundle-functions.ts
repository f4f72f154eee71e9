import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import * as z from 'zod';
import { bundleContents, type BundleContents, type BundleRules } from './bundle-contents';
import { deploymentLockfile } from './deployment-lockfile';
import { REPO_ROOT } from './terraform-config';

/**
 * Packages left out of every bundle and installed next to it by Cloud Build from the bundle's package.json.
 *
 * The Node.js buildpack always starts the function with the functions-framework binary, which loads the
 * bundle and looks the target up in its own registry: a bundled copy of the framework would register the
 * function where nobody looks. Express must be the framework's own instance, because
 * `shared/http/framework-error-responses.ts` patches the application prototype the framework's server uses.
 */
export const RUNTIME_DEPENDENCIES = ['@google-cloud/functions-framework', 'express'] as const;

/** Packages that bundled code requires inside try/catch and runs without (node-fetch 2's charset helper). */
export const OPTIONAL_REQUIRES = ['encoding'] as const;

/**
 * The SDKs a function loads on the first request that needs them, never at start: compiling and
 * initialising them took most of a cold start (docs/deployment.md, Cold start), and the requests refused
 * before any data access (401, 403, 405, 400) never need them.
 */
export const DEFERRED_PACKAGES = [
  'firebase-admin',
  '@google-cloud/firestore',
  '@google-cloud/pubsub',
  'stripe',
] as const;

/** The rules `npm run build` checks every bundle against. */
export const BUNDLE_RULES: BundleRules = {
  runtimeDependencies: RUNTIME_DEPENDENCIES,
  optionalRequires: OPTIONAL_REQUIRES,
  deferredPackages: DEFERRED_PACKAGES,
};

/**
 * The bundles are ES modules so that esbuild can split them: a module that `shared/` loads with
 * `import()` lands in a chunk of its own, which Node neither reads nor compiles until the import runs
 * (compiling the whole 6 MiB of a function eagerly costs more than 100 ms of cold start). The bundled
 * CommonJS packages still call `require` and read `__dirname`, which ES modules lack: each file defines them.
 */
const COMMONJS_GLOBALS = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { dirname as __pathDirname } from 'node:path';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __pathDirname(__filename);',
].join('\n');

/** One function's deployable directory. */
export interface BuiltBundle {
  readonly name: string;
  readonly dir: string;
  /** Size of all the function's code, chunks loaded on demand included. */
  readonly bytes: number;
  /** Size of the code Node reads and compiles before the function can answer. */
  readonly startupBytes: number;
  readonly contents: BundleContents;
}

const installedPackageSchema = z.looseObject({ version: z.string() });

async function installedVersion(pkg: string): Promise<string> {
  const manifest = await readFile(join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8');
  return installedPackageSchema.parse(JSON.parse(manifest)).version;
}

/**
 * Writes the bundle's package.json (its entry file and the exact framework versions the tests ran with)
 * and the matching package-lock.json next to `index.js`.
 */
async function writeDeploymentManifests(name: string, dir: string): Promise<void> {
  const packageName = `event-manager-${name.toLowerCase()}`;
  const dependencies: Record<string, string> = {};
  for (const pkg of RUNTIME_DEPENDENCIES) dependencies[pkg] = await installedVersion(pkg);
  const manifest = { name: packageName, private: true, type: 'module', main: 'index.js', dependencies };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'package-lock.json'), await deploymentLockfile(packageName, dependencies));
}

/**
 * The output files a function needs, from its entry file: every chunk it imports statically (`startup`)
 * and all of them, on-demand chunks included (`all`).
 */
function chunksOf(metafile: Metafile, entry: string): { startup: string[]; all: string[] } {
  const reach = (kinds: readonly string[]): string[] => {
    const found = new Set<string>();
    const pending = [entry];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (found.has(file)) continue;
      found.add(file);
      for (const imported of metafile.outputs[file]?.imports ?? []) {
        if (!imported.external && kinds.includes(imported.kind)) pending.push(imported.path);
      }
    }
    return [...found];
  };
  return { startup: reach(['import-statement']), all: reach(['import-statement', 'dynamic-import']) };
}

/**
 * Bundles each entry file into `outDir/<name>/`: `index.js` and its chunks, with everything they import
 * except {@link RUNTIME_DEPENDENCIES}, plus the package.json and lockfile Cloud Build installs those from.
 * One esbuild run serves all entries, so shared modules are parsed once; each directory then receives a
 * copy of the chunks its function uses, so that it deploys on its own.
 *
 * @param entries entry file (absolute path) by function name.
 */
export async function bundleFunctions(
  entries: Readonly<Record<string, string>>,
  outDir: string,
): Promise<BuiltBundle[]> {
  const staging = join(outDir, '.esbuild');
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: entries,
    outdir: staging,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    banner: { js: COMMONJS_GLOBALS },
    external: [...RUNTIME_DEPENDENCIES],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const outputs = new Map(result.outputFiles.map((file) => [relative(REPO_ROOT, file.path), file.contents]));
  const code = (file: string): Uint8Array => {
    const contents = outputs.get(file);
    if (contents === undefined) throw new Error(`esbuild wrote no ${file}`);
    return contents;
  };
  return Promise.all(
    Object.keys(entries).map(async (name) => {
      const dir = join(outDir, name);
      const entry = relative(REPO_ROOT, join(staging, `${name}.js`));
      const { startup, all } = chunksOf(result.metafile, entry);
      await mkdir(dir, { recursive: true });
      for (const file of all) {
        await writeFile(join(dir, file === entry ? 'index.js' : basename(file)), code(file));
      }
      await writeDeploymentManifests(name, dir);
      const size = (files: readonly string[]): number =>
        files.reduce((total, file) => total + code(file).byteLength, 0);
      return {
        name,
        dir,
        bytes: size(all),
        startupBytes: size(startup),
        contents: bundleContents(result.metafile, entry, all),
      };
    }),
  );
}
