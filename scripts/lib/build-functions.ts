import { join } from 'node:path';
import { functionRegistry } from '../../functions/index';
import { bundleViolations } from './bundle-contents';
import { BUNDLE_RULES, bundleFunctions, type BuiltBundle } from './bundle-functions';
import {
  readTerraformModule,
  REPO_ROOT,
  terraformFunctions,
  type TerraformFunction,
} from './terraform-config';

/** Every registered function bundled, and why any of the bundles must not ship. */
export interface FunctionsBuild {
  readonly bundles: readonly BuiltBundle[];
  /** `<function> <violation>`, one line each; empty when every bundle may ship. */
  readonly violations: readonly string[];
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

/**
 * Bundles each function of `functions/index.ts` into `outDir/<name>/` and checks every bundle against its
 * grants in `terraform/functions.tf` and {@link BUNDLE_RULES}: what `npm run build` does, and what a test
 * checks so that a wrong import fails before a build does.
 */
export async function buildRegisteredFunctions(outDir: string): Promise<FunctionsBuild> {
  const declared = terraformFunctions(await readTerraformModule());
  const entries = Object.fromEntries(
    functionRegistry.map(({ name }) => [name, join(REPO_ROOT, 'functions', `${name}.ts`)]),
  );
  const bundles = await bundleFunctions(entries, outDir);
  return {
    bundles,
    violations: bundles.flatMap((bundle) => violationsOf(bundle, declared.get(bundle.name))),
  };
}
