import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { functionRegistry } from '../functions/index';
import { buildOpenApiDocument } from '../shared/openapi/openapi-document';
import { REPO_ROOT } from './lib/terraform-config';
import { CLIENT_SCHEMA_FILE, clientSchemaSource } from './lib/typescript-client';

const CLIENT_SCHEMA = relative(REPO_ROOT, CLIENT_SCHEMA_FILE);

/**
 * `npm run openapi [-- <file>]`: writes the OpenAPI 3.1 document of the public functions, generated from
 * their zod schemas, for client generators (default file: `reports/openapi.json`), and regenerates the
 * types of the TypeScript client in `clients/typescript/schema.d.ts`.
 *
 * `npm run openapi -- --check` writes nothing: it regenerates the client's types in memory and fails
 * when the committed ones differ (`npm test` runs it).
 */
async function main(): Promise<void> {
  const document = buildOpenApiDocument(functionRegistry);
  const schema = await clientSchemaSource(document);
  if (process.argv[2] === '--check') {
    const committed = await readFile(CLIENT_SCHEMA_FILE, 'utf8').catch(() => '');
    if (committed !== schema) {
      console.error(`${CLIENT_SCHEMA} is stale: run \`npm run openapi\` and commit it`);
      process.exit(1);
    }
    console.log(`${CLIENT_SCHEMA} matches the OpenAPI document`);
    return;
  }
  const target = resolve(process.argv[2] ?? join(REPO_ROOT, 'reports', 'openapi.json'));
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`OpenAPI document of ${Object.keys(document.paths).length} operations written to ${target}`);
  await writeFile(CLIENT_SCHEMA_FILE, schema);
  console.log(`TypeScript client types written to ${CLIENT_SCHEMA}`);
}

main().catch((error: unknown) => {
  console.error('openapi failed', error);
  process.exit(1);
});
