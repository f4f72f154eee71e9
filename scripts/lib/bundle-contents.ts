import { builtinModules } from 'node:module';
import type { Metafile } from 'esbuild';

/** What one bundle is made of, read from esbuild's metafile. */
export interface BundleContents {
  /** npm packages whose code the bundle holds, with the bytes each contributes to it. */
  readonly packageBytes: ReadonlyMap<string, number>;
  /** The project's own source files in the bundle, relative to the repository root. */
  readonly sourceFiles: readonly string[];
  /** Modules left to `require` at run time that are neither Node built-ins nor relative paths. */
  readonly externalPackages: ReadonlySet<string>;
  /**
   * Packages that the project's own modules import statically, so that loading the function loads them;
   * a dynamic `import()` defers its package to first use and is not listed.
   */
  readonly eagerImports: readonly EagerImport[];
}

/** A static import of a package by one of the project's own modules. */
export interface EagerImport {
  /** The importing file, relative to the repository root. */
  readonly file: string;
  /** The module specifier as written (`firebase-admin/auth`). */
  readonly specifier: string;
}

/** `file -> specifier`, as the build and the cold-start benchmark print it. */
export function describeImport({ file, specifier }: EagerImport): string {
  return `${file} -> ${specifier}`;
}

/** What a function may bundle, from the grants `terraform/functions.tf` gives it. */
export interface BundlePermissions {
  readonly publishes: boolean;
  readonly stripe: boolean;
}

/** Rules every bundle follows, whatever its grants. */
export interface BundleRules {
  /** Packages deliberately left external and installed next to the bundle. */
  readonly runtimeDependencies: readonly string[];
  /** Packages that code requires inside try/catch and works without. */
  readonly optionalRequires: readonly string[];
  /** Packages a function may bundle but must not load before its first request needs them. */
  readonly deferredPackages: readonly string[];
}

/** Package name of a module specifier or of a path inside node_modules (the innermost package). */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function packageOfInput(path: string): string | undefined {
  const marker = 'node_modules/';
  const index = path.lastIndexOf(marker);
  return index === -1 ? undefined : packageName(path.slice(index + marker.length));
}

const builtins = new Set(builtinModules);

/** Node built-ins, and esbuild's own helpers (`<runtime>`), which it writes into the bundle. */
function needsNoInstall(specifier: string): boolean {
  if (specifier === '<runtime>') return true;
  return specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(packageName(specifier));
}

/**
 * Sorts the inputs of a function's output files (its entry file `entry` and the chunks it loads) into
 * packages, own sources and run-time requires.
 */
export function bundleContents(metafile: Metafile, entry: string, files: readonly string[]): BundleContents {
  const packageBytes = new Map<string, number>();
  const sourceFiles = new Set<string>();
  const externalPackages = new Set<string>();
  for (const file of files) {
    const output = metafile.outputs[file];
    if (output === undefined) throw new Error(`esbuild wrote no ${file}`);
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = packageOfInput(input);
      if (pkg === undefined) sourceFiles.add(input);
      else packageBytes.set(pkg, (packageBytes.get(pkg) ?? 0) + bytesInOutput);
      for (const imported of metafile.inputs[input]?.imports ?? []) {
        if (imported.external && !needsNoInstall(imported.path))
          externalPackages.add(packageName(imported.path));
      }
    }
  }
  const entryPoint = metafile.outputs[entry]?.entryPoint;
  return {
    packageBytes,
    sourceFiles: [...sourceFiles].sort(),
    externalPackages,
    eagerImports: entryPoint === undefined ? [] : eagerImports(metafile, entryPoint),
  };
}

function eagerImports(metafile: Metafile, entryPoint: string): EagerImport[] {
  const imports: EagerImport[] = [];
  const visited = new Set<string>();
  const pending = [entryPoint];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (visited.has(file)) continue;
    visited.add(file);
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind !== 'import-statement' || imported.external) continue;
      if (packageOfInput(imported.path) === undefined) pending.push(imported.path);
      else imports.push({ file, specifier: imported.original ?? imported.path });
    }
  }
  return imports.sort((a, b) => describeImport(a).localeCompare(describeImport(b)));
}

/**
 * Why a function's bundle must not ship as it is; empty when it may.
 *
 * @param entry the function's entry file, relative to the repository root (`functions/me.ts`).
 */
export function bundleViolations(
  entry: string,
  contents: BundleContents,
  permissions: BundlePermissions,
  rules: BundleRules,
): string[] {
  const violations: string[] = [];
  if (contents.packageBytes.has('@google-cloud/pubsub') && !permissions.publishes) {
    violations.push('bundles @google-cloud/pubsub but publishes to no topic in terraform/functions.tf');
  }
  if (contents.packageBytes.has('stripe') && !permissions.stripe) {
    violations.push('bundles stripe but reads no Stripe secret in terraform/functions.tf');
  }
  // Least privilege the other way round: a grant that the code never uses is an unneeded exposure.
  if (!contents.packageBytes.has('@google-cloud/pubsub') && permissions.publishes) {
    violations.push('publishes to a topic in terraform/functions.tf but bundles no @google-cloud/pubsub');
  }
  if (!contents.packageBytes.has('stripe') && permissions.stripe) {
    violations.push('reads a Stripe secret in terraform/functions.tf but bundles no stripe');
  }
  for (const file of contents.sourceFiles) {
    if (!file.startsWith('functions/') && !file.startsWith('shared/')) {
      violations.push(`bundles ${file}: only functions/ and shared/ code may ship`);
    } else if (file.startsWith('functions/') && file !== entry) {
      violations.push(`bundles ${file}: import shared/ code, not another function or the registry`);
    }
  }
  for (const pkg of contents.externalPackages) {
    if (!rules.runtimeDependencies.includes(pkg) && !rules.optionalRequires.includes(pkg)) {
      violations.push(`requires ${pkg} at run time, which is neither bundled nor installed`);
    }
  }
  for (const eager of contents.eagerImports) {
    if (rules.deferredPackages.includes(packageName(eager.specifier))) {
      violations.push(
        `loads ${eager.specifier} at start (imported by ${eager.file}): load it, or the service module ` +
          'that needs it, with await import() on first use (docs/deployment.md, Cold start)',
      );
    }
  }
  return violations;
}
