import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { functionRegistry } from '../functions/index';
import { buildOpenApiDocument } from '../shared/openapi/openapi-document';
import { REPO_ROOT } from './lib/terraform-config';

/**
 * `npm run openapi [-- <file>]`: writes the OpenAPI 3.1 document of the public functions, generated from
 * their zod schemas, for client generators. Default file: `reports/openapi.json`.
 */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? join(REPO_ROOT, 'reports', 'openapi.json'));
  const document = buildOpenApiDocument(functionRegistry);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`OpenAPI document of ${Object.keys(document.paths).length} operations written to ${target}`);
}

main().catch((error: unknown) => {
  console.error('openapi failed', error);
  process.exit(1);
});
