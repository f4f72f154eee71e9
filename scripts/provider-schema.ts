/**
 * `npm run terraform:schema`: writes terraform/provider-schema/<provider>.json, the trimmed schema of the
 * providers in terraform/versions.tf that `npm test` checks terraform/*.tf against. It fetches each
 * provider's cdktf bindings package (SCHEMA_PACKAGES in scripts/lib/provider-schema.ts) with `npm pack`
 * into node_modules/.cache, once: the google one unpacks to about 300 MB, too much for a dependency.
 * Run it after changing the packages' versions or adding a resource or data source type.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import {
  extractProviderSchema,
  providerSchemaFile,
  SCHEMA_PACKAGE_CACHE,
  SCHEMA_PACKAGES,
  type ProviderName,
} from './lib/provider-schema';
import { readTerraformModule } from './lib/terraform-config';
import { usedTypes } from './lib/terraform-schema-check';

/** The package's jsii manifest in the cache, fetched first where it is not there yet. */
async function fetchManifest(provider: ProviderName): Promise<string> {
  const { packageName, version } = SCHEMA_PACKAGES[provider];
  const dir = join(SCHEMA_PACKAGE_CACHE, `${packageName}@${version}`);
  const manifest = join(dir, '.jsii');
  if (existsSync(manifest)) return manifest;
  const scratch = await mkdtemp(join(tmpdir(), 'provider-schema-'));
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

async function main(): Promise<void> {
  const used = usedTypes(await readTerraformModule());
  const unknownProviders = [...used.keys()].filter((provider) => !(provider in SCHEMA_PACKAGES));
  if (unknownProviders.length > 0) throw new Error(`no schema package for: ${unknownProviders.join(', ')}`);
  for (const provider of Object.keys(SCHEMA_PACKAGES) as ProviderName[]) {
    const manifest = JSON.parse(await readFile(await fetchManifest(provider), 'utf8'));
    const schema = extractProviderSchema(
      manifest,
      used.get(provider) ?? { resources: new Set(), dataSources: new Set() },
    );
    const file = providerSchemaFile(provider);
    await mkdir(join(file, '..'), { recursive: true });
    const options = { ...(await resolveConfig(file)), filepath: file };
    await writeFile(file, await format(JSON.stringify(schema), options));
    console.log(
      `${file}: ${schema.provider} ${schema.providerVersion} from ${schema.package}@${schema.packageVersion}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
