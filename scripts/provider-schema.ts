/**
 * `npm run terraform:schema`: writes terraform/provider-schema/<provider>.json, the trimmed schema of the
 * providers in terraform/versions.tf that `npm test` checks terraform/*.tf against. It fetches each
 * provider's cdktf bindings package (SCHEMA_PACKAGES in scripts/lib/provider-schema.ts) with `npm pack`
 * into node_modules/.cache, once: the google one unpacks to about 300 MB, too much for a dependency.
 * Run it after changing the packages' versions or adding a resource or data source type.
 *
 * `npm run terraform:schema -- --from-terraform` reads the schemas from `terraform providers schema -json`
 * instead, where `terraform init` has installed the providers in terraform/ (it needs their download).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import * as z from 'zod';
import {
  extractProviderSchema,
  providerSchemaFile,
  SCHEMA_PACKAGE_CACHE,
  SCHEMA_PACKAGES,
  schemaFromTerraform,
  type ProviderName,
  type ProviderSchema,
  type UsedTypes,
} from './lib/provider-schema';
import { readTerraformModule, TERRAFORM_DIR, type TerraformFile } from './lib/terraform-config';
import { usedTypes } from './lib/terraform-schema-check';

/** The package's jsii manifest in the cache, fetched first where it is not there yet. */
async function fetchManifest(provider: ProviderName): Promise<string> {
  const { packageName, version } = SCHEMA_PACKAGES[provider];
  const dir = join(SCHEMA_PACKAGE_CACHE, `${packageName}@${version}`);
  const manifest = join(dir, '.jsii');
  if (existsSync(manifest)) return manifest;
  // Beside the cache, so that the manifest is renamed into place rather than copied across file systems.
  await mkdir(SCHEMA_PACKAGE_CACHE, { recursive: true });
  const scratch = await mkdtemp(join(SCHEMA_PACKAGE_CACHE, 'fetching-'));
  try {
    console.log(`fetching ${packageName}@${version}`);
    const tarball = execFileSync('npm', ['pack', '--silent', `${packageName}@${version}`], {
      cwd: scratch,
      encoding: 'utf8',
    }).trim();
    execFileSync('tar', ['-xzf', tarball, 'package/.jsii'], { cwd: scratch });
    await mkdir(dir, { recursive: true });
    await rename(join(scratch, 'package', '.jsii'), manifest);
    return manifest;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const requiredProvidersSchema = z.looseObject({
  terraform: z.array(
    z.looseObject({ required_providers: z.array(z.record(z.string(), z.object({ source: z.string() }))) }),
  ),
});

/**
 * The schemas from the providers that `terraform init` installed in terraform/, at the versions it
 * selected: the way past the last cdktf bindings packages.
 */
function fromTerraform(
  module: Map<string, TerraformFile>,
): (provider: ProviderName, used: UsedTypes) => ProviderSchema {
  const run = (args: string[]): unknown =>
    JSON.parse(
      execFileSync('terraform', args, {
        cwd: TERRAFORM_DIR,
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      }),
    );
  const schemas = run(['providers', 'schema', '-json']);
  const selected = z
    .object({ provider_selections: z.record(z.string(), z.string()) })
    .parse(run(['version', '-json']));
  const required = requiredProvidersSchema.parse(module.get('versions.tf')?.json).terraform[0]
    ?.required_providers[0];
  return (provider, used) => {
    const source = required?.[provider]?.source;
    const version = Object.entries(selected.provider_selections).find(([address]) =>
      address.endsWith(`/${source}`),
    )?.[1];
    if (!source || !version)
      throw new Error(`terraform/ has no ${provider} provider installed: run terraform init`);
    return schemaFromTerraform(schemas, { source, version }, used);
  };
}

async function fromPackage(provider: ProviderName, used: UsedTypes): Promise<ProviderSchema> {
  return extractProviderSchema(JSON.parse(await readFile(await fetchManifest(provider), 'utf8')), used);
}

async function main(): Promise<void> {
  const module = await readTerraformModule();
  const used = usedTypes(module);
  const unknownProviders = [...used.keys()].filter((provider) => !(provider in SCHEMA_PACKAGES));
  if (unknownProviders.length > 0) throw new Error(`no schema package for: ${unknownProviders.join(', ')}`);
  const read = process.argv.includes('--from-terraform') ? fromTerraform(module) : fromPackage;
  for (const provider of Object.keys(SCHEMA_PACKAGES) as ProviderName[]) {
    const schema = await read(
      provider,
      used.get(provider) ?? { resources: new Set(), dataSources: new Set() },
    );
    const file = providerSchemaFile(provider);
    await mkdir(join(file, '..'), { recursive: true });
    const options = { ...(await resolveConfig(file)), filepath: file };
    await writeFile(file, await format(JSON.stringify(schema), options));
    console.log(`${file}: ${schema.provider} ${schema.providerVersion} from ${schema.source}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
