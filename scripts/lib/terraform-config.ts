import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as z from 'zod';

/** The repository root, which holds `terraform/`, `functions/` and `dist/`. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** The Terraform configuration directory. */
export const TERRAFORM_DIR = join(REPO_ROOT, 'terraform');

/** A `.tf` file as `@cdktf/hcl2json` renders it: literals stay JSON values, expressions become `${…}` strings. */
export type TerraformJson = Record<string, unknown>;

/** One parsed `.tf` file. */
export interface TerraformFile {
  readonly text: string;
  readonly json: TerraformJson;
}

/**
 * hcl2json runs Go compiled to WebAssembly, whose runtime keeps the event loop busy for a while after the
 * last parse; in a worker that is terminated afterwards it cannot hold up the process (or a jest worker).
 */
const PARSE_IN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { parse } = require(workerData.hcl2json);
Promise.all(workerData.files.map(({ name, text }) => parse(name, text))).then(
  (parsed) => parentPort.postMessage({ parsed }),
  (error) => parentPort.postMessage({ error: String(error instanceof Error ? error.message : error) }),
);
`;

const parseResultSchema = z.union([
  z.object({ parsed: z.array(z.record(z.string(), z.unknown())) }),
  z.object({ error: z.string() }),
]);

async function parseAll(files: readonly { name: string; text: string }[]): Promise<TerraformJson[]> {
  const worker = new Worker(PARSE_IN_WORKER, {
    eval: true,
    workerData: { hcl2json: require.resolve('@cdktf/hcl2json'), files },
  });
  try {
    const message = await new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const result = parseResultSchema.parse(message);
    if ('error' in result) throw new Error(result.error);
    return result.parsed;
  } finally {
    await worker.terminate();
  }
}

/** Parses every `.tf` file of a directory offline, by file name; throws on the first syntax error. */
export async function readTerraformModule(dir = TERRAFORM_DIR): Promise<Map<string, TerraformFile>> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.tf')).sort();
  const files = await Promise.all(
    names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })),
  );
  const parsed = await parseAll(files);
  return new Map(files.map(({ name, text }, index) => [name, { text, json: parsed[index] ?? {} }]));
}

const localsBlocksSchema = z.looseObject({ locals: z.array(z.record(z.string(), z.unknown())) });

/** Every `locals` block of a parsed file, merged: names are unique across a Terraform module anyway. */
export function localsOf(tf: TerraformJson | undefined): Record<string, unknown> {
  const parsed = localsBlocksSchema.safeParse(tf);
  return parsed.success ? Object.assign({}, ...parsed.data.locals) : {};
}

const functionSchema = z.strictObject({
  visibility: z.enum(['public', 'internal']),
  memory: z.string(),
  cpu: z.string(),
  timeout: z.number().int().positive(),
  min_instances: z.number().int().nonnegative(),
  max_instances: z.number().int().positive(),
  concurrency: z.number().int().positive(),
  firestore: z.boolean(),
  firestore_read: z.boolean(),
  firebase_auth: z.enum(['none', 'viewer', 'admin']),
  publishes: z.array(z.string()),
  fcm: z.boolean(),
  stripe_secrets: z.array(z.string()),
  ticket_keys: z.enum(['none', 'verify', 'sign']),
  schedule: z.string().nullable(),
  env: z.record(z.string(), z.string()),
});

/** One function of `terraform/functions.tf`, its defaults applied as Terraform's `merge` applies them. */
export type TerraformFunction = z.infer<typeof functionSchema>;

const functionsLocalsSchema = z.looseObject({
  function_defaults: z.record(z.string(), z.unknown()),
  function_specs: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/**
 * The functions declared in `functions.tf` of a parsed module, by name. The map must stay literal (no
 * expressions) for this to read it; the schema says exactly which attributes an entry may have.
 */
export function terraformFunctions(
  module: ReadonlyMap<string, TerraformFile>,
): Map<string, TerraformFunction> {
  const locals = functionsLocalsSchema.parse(localsOf(module.get('functions.tf')?.json));
  const functions = new Map<string, TerraformFunction>();
  for (const [name, spec] of Object.entries(locals.function_specs)) {
    const merged = functionSchema.safeParse({ ...locals.function_defaults, ...spec });
    if (!merged.success) {
      throw new Error(`functions.tf: function ${name}: ${z.prettifyError(merged.error)}`);
    }
    functions.set(name, merged.data);
  }
  return functions;
}
