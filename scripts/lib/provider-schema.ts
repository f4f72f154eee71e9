import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { REPO_ROOT, TERRAFORM_DIR } from './terraform-config';

/**
 * The Terraform providers' schemas, trimmed to what `terraform/` uses. The npm packages that carry them
 * (CDK for Terraform's prebuilt bindings, generated from the provider's own schema) are far too large to
 * be dependencies, so `npm run terraform:schema` extracts the schema from their jsii manifest once and
 * commits it here.
 */
export const PROVIDER_SCHEMA_DIR = join(TERRAFORM_DIR, 'provider-schema');

/** Where `npm run terraform:schema` keeps the packages it fetched, by name and version. */
export const SCHEMA_PACKAGE_CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'terraform-provider-schema');

/** The packages carrying the schemas of the providers in `versions.tf`, by provider local name. */
export const SCHEMA_PACKAGES = {
  google: { packageName: '@cdktf/provider-google', version: '16.12.1' },
  archive: { packageName: '@cdktf/provider-archive', version: '11.0.1' },
} as const satisfies Record<string, { packageName: string; version: string }>;

/** A provider's local name, which prefixes its resource and data source types. */
export type ProviderName = keyof typeof SCHEMA_PACKAGES;

const REQUIREMENTS = ['required', 'optional'] as const;

export interface SchemaBlock {
  /** Arguments by snake_case name. */
  readonly arguments: Readonly<Record<string, (typeof REQUIREMENTS)[number]>>;
  readonly blocks: Readonly<Record<string, NestedBlockSchema>>;
}

export interface NestedBlockSchema extends SchemaBlock {
  /** At least one such block is required. */
  readonly required: boolean;
  /** At most one such block is allowed (the provider's `max_items = 1`). */
  readonly single: boolean;
}

const nestedBlockSchema: z.ZodType<NestedBlockSchema> = z.lazy(() =>
  z.strictObject({
    required: z.boolean(),
    single: z.boolean(),
    arguments: z.record(z.string(), z.enum(REQUIREMENTS)),
    blocks: z.record(z.string(), nestedBlockSchema),
  }),
);

const schemaBlockSchema = z.strictObject({
  arguments: z.record(z.string(), z.enum(REQUIREMENTS)),
  blocks: z.record(z.string(), nestedBlockSchema),
});

const providerSchemaSchema = z.strictObject({
  provider: z.string(),
  providerVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
  /** `@cdktf/provider-google@16.12.1`, or `terraform providers schema` where the provider itself said. */
  source: z.string(),
  config: schemaBlockSchema,
  resources: z.record(z.string(), schemaBlockSchema),
  dataSources: z.record(z.string(), schemaBlockSchema),
  resourceTypes: z.array(z.string()),
  dataSourceTypes: z.array(z.string()),
});

/**
 * One provider's schema: the provider block, every resource and data source type that `terraform/`
 * uses in full, and the names of all the others (to say which one a misspelt type was meant to be).
 */
export type ProviderSchema = z.infer<typeof providerSchemaSchema>;

/** The committed schema file of a provider. */
export function providerSchemaFile(provider: ProviderName): string {
  return join(PROVIDER_SCHEMA_DIR, `${provider}.json`);
}

/** A committed schema file's text, checked. */
export function parseProviderSchema(text: string): ProviderSchema {
  return providerSchemaSchema.parse(JSON.parse(text));
}

/** Reads the committed, trimmed schemas of every provider in {@link SCHEMA_PACKAGES}. */
export async function readProviderSchemas(): Promise<Map<string, ProviderSchema>> {
  const schemas = new Map<string, ProviderSchema>();
  for (const provider of Object.keys(SCHEMA_PACKAGES) as ProviderName[]) {
    schemas.set(provider, parseProviderSchema(await readFile(providerSchemaFile(provider), 'utf8')));
  }
  return schemas;
}

/** The used resource and data source types of one provider, which the trimmed schema holds in full. */
export interface UsedTypes {
  readonly resources: ReadonlySet<string>;
  readonly dataSources: ReadonlySet<string>;
}

// The part of a jsii assembly (the `.jsii` manifest of a jsii package) that the schema is read from.
const typeRefSchema: z.ZodType<TypeRef> = z.lazy(() =>
  z.union([
    z.object({ primitive: z.string() }),
    z.object({ fqn: z.string() }),
    z.object({ collection: z.object({ kind: z.string(), elementtype: typeRefSchema }) }),
    z.object({ union: z.object({ types: z.array(typeRefSchema) }) }),
  ]),
);
type TypeRef =
  | { primitive: string }
  | { fqn: string }
  | { collection: { kind: string; elementtype: TypeRef } }
  | { union: { types: TypeRef[] } };

const docsSchema = z.record(z.string(), z.unknown()).optional();

const jsiiClassSchema = z.object({
  kind: z.literal('class'),
  base: z.string(),
  docs: z.object({ summary: z.string() }),
  initializer: z.object({ parameters: z.array(z.object({ name: z.string(), type: typeRefSchema })) }),
});

const jsiiStructSchema = z.object({
  kind: z.literal('interface'),
  datatype: z.literal(true),
  properties: z
    .array(
      z.object({ name: z.string(), optional: z.boolean().optional(), docs: docsSchema, type: typeRefSchema }),
    )
    .default([]),
});

const jsiiAssemblySchema = z.object({
  name: z.string(),
  version: z.string(),
  readme: z.object({ markdown: z.string() }),
  types: z.record(z.string(), z.looseObject({ kind: z.string(), base: z.string().optional() })),
});

type JsiiAssembly = z.infer<typeof jsiiAssemblySchema>;

const KINDS = {
  'cdktf.TerraformProvider': 'provider',
  'cdktf.TerraformResource': 'resource',
  'cdktf.TerraformDataSource': 'dataSource',
} as const;

/** `{@link https://…/docs/resources/pubsub_topic google_pubsub_topic}`: the Terraform type name. */
const TYPE_NAME = /\{@link \S+ ([a-z0-9_-]+)\}/;
/** `{@link https://…/pubsub_topic#message_retention_duration PubsubTopic#message_retention_duration}`. */
const ARGUMENT_NAME = /#([a-z0-9_]+) \w+#\1\}/;

function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** A reference without the `IResolvable` alternative that every cdktf binding adds for tokens. */
function withoutTokens(type: TypeRef): TypeRef {
  if (!('union' in type)) return type;
  const others = type.union.types.filter(
    (member) => !('fqn' in member && member.fqn === 'cdktf.IResolvable'),
  );
  return others.length === 1 && others[0] ? withoutTokens(others[0]) : { union: { types: others } };
}

class SchemaReader {
  constructor(private readonly assembly: JsiiAssembly) {}

  /** A nested block's struct, or undefined when the reference is an argument's value type. */
  private blockStruct(type: TypeRef): { fqn: string; single: boolean } | undefined {
    const plain = withoutTokens(type);
    if ('fqn' in plain && this.isStruct(plain.fqn)) return { fqn: plain.fqn, single: true };
    if ('collection' in plain && plain.collection.kind === 'array') {
      const element = withoutTokens(plain.collection.elementtype);
      if ('fqn' in element && this.isStruct(element.fqn)) return { fqn: element.fqn, single: false };
    }
    return undefined;
  }

  private isStruct(fqn: string): boolean {
    return fqn.startsWith(`${this.assembly.name}.`) && this.assembly.types[fqn]?.kind === 'interface';
  }

  /** A struct's properties as Terraform's arguments and blocks; cdktf adds the meta-arguments elsewhere. */
  block(fqn: string): SchemaBlock {
    const struct = jsiiStructSchema.parse(this.assembly.types[fqn]);
    const args: Record<string, (typeof REQUIREMENTS)[number]> = {};
    const blocks: Record<string, NestedBlockSchema> = {};
    for (const property of struct.properties) {
      const name = ARGUMENT_NAME.exec(JSON.stringify(property.docs ?? {}))?.[1] ?? snakeCase(property.name);
      const nested = this.blockStruct(property.type);
      if (nested) {
        blocks[name] = { required: !property.optional, single: nested.single, ...this.block(nested.fqn) };
      } else {
        args[name] = property.optional ? 'optional' : 'required';
      }
    }
    return { arguments: sorted(args), blocks: sorted(blocks) };
  }

  /** Every provider, resource and data source class: its kind, Terraform name and config struct. */
  *classes(): Generator<{ kind: (typeof KINDS)[keyof typeof KINDS]; name: string; config: string }> {
    for (const type of Object.values(this.assembly.types)) {
      const kind = type.base && type.base in KINDS ? KINDS[type.base as keyof typeof KINDS] : undefined;
      if (!kind) continue;
      const parsed = jsiiClassSchema.parse(type);
      const name = TYPE_NAME.exec(parsed.docs.summary)?.[1];
      const config = parsed.initializer.parameters.find((parameter) => parameter.name === 'config')?.type;
      if (!name || !config || !('fqn' in config)) {
        throw new Error(`${this.assembly.name}: cannot read the Terraform type of "${parsed.docs.summary}"`);
      }
      yield { kind, name, config: config.fqn };
    }
  }
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The trimmed schema of a provider from the jsii manifest of its cdktf bindings package. Throws when a
 * used type is not in the package: the check could not vouch for it.
 */
export function extractProviderSchema(manifest: unknown, used: UsedTypes): ProviderSchema {
  const assembly = jsiiAssemblySchema.parse(manifest);
  const reader = new SchemaReader(assembly);
  const generatedFrom = /bindings for (\S+) provider version (\d+\.\d+\.\d+)/.exec(assembly.readme.markdown);
  if (!generatedFrom?.[1] || !generatedFrom[2]) {
    throw new Error(`${assembly.name}: its README does not say which provider version it was generated from`);
  }
  const classes = [...reader.classes()];
  const config = classes.find((type) => type.kind === 'provider');
  if (!config) throw new Error(`${assembly.name}: no provider class`);
  const configsOf = (kind: 'resource' | 'dataSource') =>
    new Map(classes.filter((type) => type.kind === kind).map((type) => [type.name, type.config]));
  return trimmed(
    {
      provider: generatedFrom[1],
      providerVersion: generatedFrom[2],
      source: `${assembly.name}@${assembly.version}`,
      config: reader.block(config.config),
    },
    { resources: configsOf('resource'), dataSources: configsOf('dataSource') },
    used,
    (fqn) => reader.block(fqn),
  );
}

/**
 * A provider's schema with only the used types in full. Throws when a used type is not in the source:
 * the check could not vouch for it.
 */
function trimmed<T>(
  about: Pick<ProviderSchema, 'provider' | 'providerVersion' | 'source' | 'config'>,
  all: { resources: ReadonlyMap<string, T>; dataSources: ReadonlyMap<string, T> },
  used: UsedTypes,
  read: (type: T) => SchemaBlock,
): ProviderSchema {
  const pick = (types: ReadonlyMap<string, T>, wanted: ReadonlySet<string>, noun: string) =>
    sorted(
      Object.fromEntries(
        [...wanted].map((name) => {
          const type = types.get(name);
          if (type === undefined) throw new Error(`${about.source} has no ${noun} ${name}`);
          return [name, read(type)];
        }),
      ),
    );
  return {
    ...about,
    resources: pick(all.resources, used.resources, 'resource'),
    dataSources: pick(all.dataSources, used.dataSources, 'data source'),
    resourceTypes: [...all.resources.keys()].sort(),
    dataSourceTypes: [...all.dataSources.keys()].sort(),
  };
}

// The part of `terraform providers schema -json` (format 1.x) that the schema is read from:
// https://developer.hashicorp.com/terraform/cli/commands/providers/schema
interface TerraformBlock {
  attributes?: Record<string, { required?: boolean; optional?: boolean }>;
  block_types?: Record<
    string,
    { nesting_mode: string; min_items?: number; max_items?: number; block: TerraformBlock }
  >;
}
const terraformBlockSchema: z.ZodType<TerraformBlock> = z.lazy(() =>
  z.object({
    attributes: z
      .record(z.string(), z.object({ required: z.boolean().optional(), optional: z.boolean().optional() }))
      .optional(),
    block_types: z
      .record(
        z.string(),
        z.object({
          nesting_mode: z.string(),
          min_items: z.number().optional(),
          max_items: z.number().optional(),
          block: terraformBlockSchema,
        }),
      )
      .optional(),
  }),
);
const typeSchemasSchema = z.record(z.string(), z.object({ block: terraformBlockSchema })).default({});
const terraformSchemasSchema = z.object({
  format_version: z.string().regex(/^1\./),
  provider_schemas: z.record(
    z.string(),
    z.object({
      provider: z.object({ block: terraformBlockSchema }),
      resource_schemas: typeSchemasSchema,
      data_source_schemas: typeSchemasSchema,
    }),
  ),
});

/** Terraform's block as ours: computed-only attributes cannot be set, so they are no arguments. */
function fromTerraformBlock(block: TerraformBlock): SchemaBlock {
  const args: Record<string, (typeof REQUIREMENTS)[number]> = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (attribute.required) args[name] = 'required';
    else if (attribute.optional) args[name] = 'optional';
  }
  const blocks: Record<string, NestedBlockSchema> = {};
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    blocks[name] = {
      required: (nested.min_items ?? 0) > 0,
      single: nested.nesting_mode === 'single' || nested.max_items === 1,
      ...fromTerraformBlock(nested.block),
    };
  }
  return { arguments: sorted(args), blocks: sorted(blocks) };
}

/**
 * The trimmed schema of a provider from `terraform providers schema -json`, run where `terraform init`
 * installed it: the way to refresh the schema past the last cdktf bindings package.
 */
export function schemaFromTerraform(
  output: unknown,
  provider: { source: string; version: string },
  used: UsedTypes,
): ProviderSchema {
  const schemas = terraformSchemasSchema.parse(output).provider_schemas;
  const address = Object.keys(schemas).find((key) => key.endsWith(`/${provider.source}`));
  const schema = address === undefined ? undefined : schemas[address];
  if (!schema) throw new Error(`terraform providers schema has no ${provider.source}`);
  const blocksOf = (types: Record<string, { block: TerraformBlock }>) =>
    new Map(Object.entries(types).map(([name, { block }]) => [name, block]));
  return trimmed(
    {
      provider: provider.source,
      providerVersion: provider.version,
      source: 'terraform providers schema',
      config: fromTerraformBlock(schema.provider.block),
    },
    { resources: blocksOf(schema.resource_schemas), dataSources: blocksOf(schema.data_source_schemas) },
    used,
    fromTerraformBlock,
  );
}

/**
 * The jsii manifest of a provider's schema package where one is on this machine: installed in
 * `node_modules` (any version), or fetched by `npm run terraform:schema` into its cache (the given
 * version). Undefined where neither is.
 */
export function installedSchemaManifest(provider: ProviderName, version: string): string | undefined {
  const { packageName } = SCHEMA_PACKAGES[provider];
  const candidates = [
    join(REPO_ROOT, 'node_modules', packageName, '.jsii'),
    join(SCHEMA_PACKAGE_CACHE, `${packageName}@${version}`, '.jsii'),
  ];
  return candidates.find((file) => existsSync(file));
}
