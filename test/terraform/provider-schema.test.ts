import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  extractProviderSchema,
  installedSchemaManifest,
  parseProviderSchema,
  providerSchemaFile,
  readProviderSchemas,
  schemaFromTerraform,
  SCHEMA_PACKAGES,
  type ProviderName,
  type ProviderSchema,
} from '../../scripts/lib/provider-schema';
import { readTerraformModule, REPO_ROOT, type TerraformFile } from '../../scripts/lib/terraform-config';
import {
  checkAgainstProviderSchemas,
  formatProblems,
  usedTypes,
} from '../../scripts/lib/terraform-schema-check';

const PROVIDERS = Object.keys(SCHEMA_PACKAGES) as ProviderName[];

let terraform: Map<string, TerraformFile>;
let schemas: Map<string, ProviderSchema>;

beforeAll(async () => {
  [terraform, schemas] = await Promise.all([readTerraformModule(), readProviderSchemas()]);
});

function schemaOf(provider: ProviderName): ProviderSchema {
  const schema = schemas.get(provider);
  if (!schema) throw new Error(`no committed schema for ${provider}`);
  return schema;
}

describe('terraform/*.tf against the providers’ schemas', () => {
  it('declares only types, arguments and blocks that the providers know, with every required one', () => {
    expect(formatProblems(checkAgainstProviderSchemas(terraform, schemas))).toEqual([]);
  });

  it('reports each mistake with its file, its line and the valid name it was meant to be', async () => {
    const fixtures = await readTerraformModule(join(__dirname, 'fixtures', 'schema'));
    expect(formatProblems(checkAgainstProviderSchemas(fixtures, schemas))).toEqual([
      'block-syntax.tf:3: resource google_pubsub_topic.block_as_argument: "message_storage_policy" is a block: write message_storage_policy { … }',
      'block-syntax.tf:10: resource google_pubsub_subscription.wrong_syntax: at most one "expiration_policy" block is allowed',
      'block-syntax.tf:17: resource google_pubsub_subscription.wrong_syntax: "labels" is an argument: write labels = …',
      'misplaced-block.tf:11: resource google_cloudfunctions2_function.function: unknown block "storage_source" here; it belongs at "build_config.source.storage_source"',
      'missing-required.tf:1: resource google_firestore_index.composite: missing required block "fields"',
      'missing-required.tf:5: resource google_service_account_iam_member.token_creator: missing required argument "member"',
      'misspelt-argument.tf:3: resource google_pubsub_topic.events: unknown argument "message_retention_duraton" here; did you mean "message_retention_duration"?',
      'misspelt-argument.tf:12: resource google_firestore_index.composite: dynamic fields.content: unknown argument "feild_path" here; did you mean "field_path"?',
      'unknown-type.tf:1: resource google_storage_bucket_objekt.source: unknown resource type "google_storage_bucket_objekt" in hashicorp/google 6.50.0; did you mean "google_storage_bucket_object"?',
      'unknown-type.tf:6: data google_projekt.current: unknown data source type "google_projekt" in hashicorp/google 6.50.0; did you mean "google_project"?',
      'unknown-type.tf:8: resource gogle_pubsub_topic.events: no schema for provider "gogle"; did you mean "google"?',
    ]);
  });
});

describe('terraform/provider-schema/', () => {
  it.each(PROVIDERS)(
    '%s.json comes from the package version that SCHEMA_PACKAGES names, or terraform',
    (provider) => {
      const { packageName, version } = SCHEMA_PACKAGES[provider];
      expect([`${packageName}@${version}`, 'terraform providers schema']).toContain(
        schemaOf(provider).source,
      );
    },
  );

  it.each(PROVIDERS)('versions.tf pins %s to the minor version line the schema describes', (provider) => {
    const schema = schemaOf(provider);
    const [major, minor] = schema.providerVersion.split('.');
    const versions = terraform.get('versions.tf')?.json as {
      terraform: { required_providers: Record<string, { source: string; version: string }>[] }[];
    };
    expect(versions.terraform[0]?.required_providers[0]?.[provider]).toEqual({
      source: schema.provider,
      version: `~> ${major}.${minor}`,
    });
  });

  // The packages are not dependencies (see scripts/provider-schema.ts): where `npm run terraform:schema`
  // fetched one, or it is installed, the committed schema must be what it generates today.
  for (const provider of PROVIDERS) {
    const { packageName, version } = SCHEMA_PACKAGES[provider];
    const spec = `${packageName}@${version}`;
    const committed = parseProviderSchema(readFileSync(providerSchemaFile(provider), 'utf8'));
    const manifest = installedSchemaManifest(provider, version);
    if (committed.source === spec && manifest) {
      it(`${provider}.json is what ${relative(REPO_ROOT, manifest)} generates for terraform/ (else: npm run terraform:schema)`, async () => {
        const generated = extractProviderSchema(
          JSON.parse(await readFile(manifest, 'utf8')),
          usedTypes(terraform).get(provider) ?? { resources: new Set(), dataSources: new Set() },
        );
        expect(generated).toEqual(committed);
      });
    } else {
      const why =
        committed.source === spec ? `${spec} is not on this machine` : `it came from ${committed.source}`;
      console.warn(
        `${provider}.json was not compared with ${spec}: ${why} (npm run terraform:schema fetches it)`,
      );
    }
  }
});

describe('extractProviderSchema', () => {
  const p = '@cdktf/provider-demo';
  const docs = (link: string) => ({
    summary: `Docs at {@link https://example.test/${link} Demo#${link.split('#')[1]}}.`,
  });
  const resolvable = (type: object) => ({ union: { types: [{ fqn: 'cdktf.IResolvable' }, type] } });
  /** cdktf construct classes (`Represents a {@link URL terraform_name}`), each configured by `<class>Config`. */
  const classes = Object.entries({
    'provider.DemoProvider': ['TerraformProvider', 'docs', 'demo'],
    'thing.Thing': ['TerraformResource', 'docs/resources/thing', 'demo_thing'],
    'dataDemoOther.DataDemoOther': ['TerraformDataSource', 'docs/data-sources/other', 'demo_other'],
  }).map(([name, [base, link, type]]) => [
    `${p}.${name}`,
    {
      kind: 'class',
      base: `cdktf.${base}`,
      docs: { summary: `Represents a {@link https://example.test/${link} ${type}}.` },
      initializer: { parameters: [{ name: 'config', type: { fqn: `${p}.${name}Config` } }] },
    },
  ]);
  const manifest = {
    name: p,
    version: '1.2.3',
    readme: { markdown: '# CDKTF prebuilt bindings for hashicorp/demo provider version 4.5.6\n' },
    types: {
      ...Object.fromEntries(classes),
      [`${p}.provider.DemoProviderConfig`]: {
        kind: 'interface',
        datatype: true,
        properties: [
          { name: 'alias', optional: true, docs: docs('docs#alias'), type: { primitive: 'string' } },
        ],
      },
      [`${p}.thing.ThingConfig`]: {
        kind: 'interface',
        datatype: true,
        properties: [
          { name: 'displayName', docs: docs('thing#display_name'), type: { primitive: 'string' } },
          { name: 'ipV4Range', optional: true, type: { primitive: 'string' } },
          {
            name: 'rule',
            docs: docs('thing#rule'),
            type: resolvable({ collection: { kind: 'array', elementtype: { fqn: `${p}.thing.ThingRule` } } }),
          },
          {
            name: 'timeouts',
            optional: true,
            docs: docs('thing#timeouts'),
            type: { fqn: `${p}.thing.ThingTimeouts` },
          },
          {
            name: 'tags',
            optional: true,
            docs: docs('thing#tags'),
            type: resolvable({ collection: { kind: 'map', elementtype: { primitive: 'string' } } }),
          },
        ],
      },
      [`${p}.thing.ThingRule`]: {
        kind: 'interface',
        datatype: true,
        properties: [{ name: 'action', docs: docs('thing#action'), type: { primitive: 'string' } }],
      },
      [`${p}.thing.ThingTimeouts`]: { kind: 'interface', datatype: true },
      [`${p}.dataDemoOther.DataDemoOtherConfig`]: { kind: 'interface', datatype: true, properties: [] },
    },
  };

  it('reads the used types in full, snake_case names, requirements and block shapes, and lists all types', () => {
    const used = { resources: new Set(['demo_thing']), dataSources: new Set<string>() };
    expect(extractProviderSchema(manifest, used)).toEqual({
      provider: 'hashicorp/demo',
      providerVersion: '4.5.6',
      source: `${p}@1.2.3`,
      config: { arguments: { alias: 'optional' }, blocks: {} },
      resources: {
        demo_thing: {
          arguments: { display_name: 'required', ip_v4_range: 'optional', tags: 'optional' },
          blocks: {
            rule: { required: true, single: false, arguments: { action: 'required' }, blocks: {} },
            timeouts: { required: false, single: true, arguments: {}, blocks: {} },
          },
        },
      },
      dataSources: {},
      resourceTypes: ['demo_thing'],
      dataSourceTypes: ['demo_other'],
    });
  });

  it('refuses a used type the package does not have', () => {
    const used = { resources: new Set(['demo_thing']), dataSources: new Set(['demo_thing']) };
    expect(() => extractProviderSchema(manifest, used)).toThrow(`${p}@1.2.3 has no data source demo_thing`);
  });
});

describe('schemaFromTerraform', () => {
  const block = (attributes: object, blockTypes: object = {}) => ({ attributes, block_types: blockTypes });
  const output = {
    format_version: '1.0',
    provider_schemas: {
      'registry.terraform.io/hashicorp/demo': {
        provider: { block: block({ project: { type: 'string', optional: true } }) },
        resource_schemas: {
          demo_thing: {
            block: block(
              {
                id: { type: 'string', optional: true, computed: true },
                name: { type: 'string', required: true },
                uid: { type: 'string', computed: true },
              },
              {
                rule: {
                  nesting_mode: 'list',
                  min_items: 1,
                  block: block({ action: { type: 'string', required: true } }),
                },
                retry: { nesting_mode: 'list', max_items: 1, block: block({}) },
                timeouts: {
                  nesting_mode: 'single',
                  block: block({ create: { type: 'string', optional: true } }),
                },
              },
            ),
          },
        },
        data_source_schemas: { demo_other: { block: block({}) } },
      },
    },
  };

  it('reads settable attributes as arguments and block types with their nesting', () => {
    const used = { resources: new Set(['demo_thing']), dataSources: new Set<string>() };
    expect(schemaFromTerraform(output, { source: 'hashicorp/demo', version: '4.6.0' }, used)).toEqual({
      provider: 'hashicorp/demo',
      providerVersion: '4.6.0',
      source: 'terraform providers schema',
      config: { arguments: { project: 'optional' }, blocks: {} },
      resources: {
        demo_thing: {
          arguments: { id: 'optional', name: 'required' },
          blocks: {
            retry: { required: false, single: true, arguments: {}, blocks: {} },
            rule: { required: true, single: false, arguments: { action: 'required' }, blocks: {} },
            timeouts: { required: false, single: true, arguments: { create: 'optional' }, blocks: {} },
          },
        },
      },
      dataSources: {},
      resourceTypes: ['demo_thing'],
      dataSourceTypes: ['demo_other'],
    });
  });

  it('refuses a provider or a used type that the output does not have', () => {
    const used = { resources: new Set<string>(), dataSources: new Set(['demo_thing']) };
    expect(() => schemaFromTerraform(output, { source: 'hashicorp/other', version: '1.0.0' }, used)).toThrow(
      'terraform providers schema has no hashicorp/other',
    );
    expect(() => schemaFromTerraform(output, { source: 'hashicorp/demo', version: '4.6.0' }, used)).toThrow(
      'terraform providers schema has no data source demo_thing',
    );
  });
});
