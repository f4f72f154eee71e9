import { outlineHcl, type OutlineBlock, type OutlineBody } from './hcl-outline';
import type { NestedBlockSchema, ProviderSchema, SchemaBlock, UsedTypes } from './provider-schema';
import type { TerraformFile } from './terraform-config';

/** A place in `terraform/` that the provider would refuse at apply time. */
export interface SchemaProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

type Body = Record<string, unknown>;

const LIFECYCLE_CONDITION: NestedBlockSchema = {
  required: false,
  single: false,
  arguments: { condition: 'required', error_message: 'required' },
  blocks: {},
};

/**
 * Terraform's own arguments and blocks of a resource, data source or provider block (not the
 * provider's): https://developer.hashicorp.com/terraform/language/meta-arguments.
 */
const META: Record<'resource' | 'data' | 'provider', SchemaBlock> = {
  resource: {
    arguments: { count: 'optional', depends_on: 'optional', for_each: 'optional', provider: 'optional' },
    blocks: {
      lifecycle: {
        required: false,
        single: true,
        arguments: {
          create_before_destroy: 'optional',
          ignore_changes: 'optional',
          prevent_destroy: 'optional',
          replace_triggered_by: 'optional',
        },
        blocks: { postcondition: LIFECYCLE_CONDITION, precondition: LIFECYCLE_CONDITION },
      },
    },
  },
  data: {
    arguments: { count: 'optional', depends_on: 'optional', for_each: 'optional', provider: 'optional' },
    blocks: {
      lifecycle: {
        required: false,
        single: true,
        arguments: {},
        blocks: { postcondition: LIFECYCLE_CONDITION, precondition: LIFECYCLE_CONDITION },
      },
    },
  },
  provider: { arguments: { alias: 'optional', version: 'optional' }, blocks: {} },
};

/** A resource's blocks whose content belongs to provisioners, which no provider schema describes. */
const PROVISIONER_BLOCKS = new Set(['provisioner', 'connection']);

/** The provider a resource or data source type belongs to: the prefix before its first `_`. */
export function providerOf(type: string): string {
  return type.split('_')[0] ?? type;
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bodies(value: unknown): Body[] {
  return Array.isArray(value) ? value.filter(isBody) : [];
}

/** `resource` or `data` of a parsed file as type -> name -> bodies, as hcl2json renders them. */
function declarations(json: Body, kind: 'resource' | 'data'): [string, string, Body[]][] {
  const byType = json[kind];
  if (!isBody(byType)) return [];
  return Object.entries(byType).flatMap(([type, byName]) =>
    isBody(byName)
      ? Object.entries(byName).map(([name, value]): [string, string, Body[]] => [type, name, bodies(value)])
      : [],
  );
}

/** The resource and data source types of each provider that a module declares. */
export function usedTypes(module: ReadonlyMap<string, TerraformFile>): Map<string, UsedTypes> {
  const used = new Map<string, { resources: Set<string>; dataSources: Set<string> }>();
  const of = (type: string) => {
    const provider = providerOf(type);
    const entry = used.get(provider) ?? { resources: new Set<string>(), dataSources: new Set<string>() };
    used.set(provider, entry);
    return entry;
  };
  for (const { json } of module.values()) {
    for (const [type] of declarations(json, 'resource')) of(type).resources.add(type);
    for (const [type] of declarations(json, 'data')) of(type).dataSources.add(type);
  }
  return used;
}

/** Levenshtein distance, for naming the valid name a misspelt one was meant to be. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidate closest to `name` (ties: the first in order). */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Every path (`a.b.c`) at which the schema has a block or argument called `name`. */
function pathsOf(name: string, schema: SchemaBlock, prefix: readonly string[] = []): string[] {
  const here = name in schema.arguments || name in schema.blocks ? [[...prefix, name].join('.')] : [];
  return [
    ...here,
    ...Object.entries(schema.blocks).flatMap(([block, nested]) => pathsOf(name, nested, [...prefix, block])),
  ];
}

function merged(schema: SchemaBlock, meta: SchemaBlock | undefined): SchemaBlock {
  return meta
    ? { arguments: { ...meta.arguments, ...schema.arguments }, blocks: { ...meta.blocks, ...schema.blocks } }
    : schema;
}

/** Where one body of the walk is: its file, what it belongs to, its line and its outline. */
interface Place {
  readonly file: string;
  /** `resource google_pubsub_topic.events` */
  readonly address: string;
  /** Nested block names from the top of the declaration, e.g. `["service_config"]`. */
  readonly path: readonly string[];
  readonly line: number;
  readonly outline: OutlineBody | undefined;
  /** The whole schema of the declaration, for telling where a misplaced name belongs. */
  readonly root: SchemaBlock;
}

function blocksNamed(outline: OutlineBody | undefined, type: string, label?: string): OutlineBlock[] {
  return (outline?.blocks ?? []).filter((block) =>
    label === undefined
      ? block.type === type && block.labels.length === 0
      : block.type === type && block.labels[0] === label,
  );
}

class Checker {
  readonly problems: SchemaProblem[] = [];

  constructor(private readonly schemas: ReadonlyMap<string, ProviderSchema>) {}

  private report(place: Place, line: number, message: string): void {
    const where = place.path.length > 0 ? ` ${place.path.join('.')}:` : '';
    this.problems.push({ file: place.file, line, message: `${place.address}:${where} ${message}` });
  }

  private noSchemaFor(address: string, provider: string): string {
    const known = [...this.schemas.keys()].map((name) => `"${name}"`);
    return `${address}: no schema for provider "${provider}"; did you mean ${nearest(provider, known)}?`;
  }

  private lineOf(place: Place, name: string): number {
    return (
      place.outline?.arguments.get(name) ??
      place.outline?.blocks.find((b) => b.type === name)?.line ??
      place.line
    );
  }

  file(file: string, text: string, json: Body): void {
    const outline = outlineHcl(text);
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, name, instances] of declarations(json, kind)) {
        const blocks = blocksNamed(outline, kind, type).filter((block) => block.labels[1] === name);
        instances.forEach((body, index) => {
          const block = blocks[index];
          this.declaration(kind, type, body, { file, line: block?.line ?? 1, outline: block?.body, name });
        });
      }
    }
    const providers = json.provider;
    if (isBody(providers)) {
      for (const [name, value] of Object.entries(providers)) {
        const schema = this.schemas.get(name)?.config;
        const blocks = blocksNamed(outline, 'provider', name);
        if (!schema) {
          this.problems.push({
            file,
            line: blocks[0]?.line ?? 1,
            message: this.noSchemaFor(`provider ${name}`, name),
          });
          continue;
        }
        bodies(value).forEach((body, index) => {
          const block = blocks[index];
          const place = {
            file,
            address: `provider ${name}`,
            path: [],
            line: block?.line ?? 1,
            outline: block?.body,
            root: schema,
          };
          this.body(body, merged(schema, META.provider), place);
        });
      }
    }
  }

  private declaration(
    kind: 'resource' | 'data',
    type: string,
    body: Body,
    at: { file: string; line: number; outline: OutlineBody | undefined; name: string },
  ): void {
    const provider = this.schemas.get(providerOf(type));
    const address = `${kind === 'data' ? 'data ' : 'resource '}${type}.${at.name}`;
    const noun = kind === 'data' ? 'data source type' : 'resource type';
    if (!provider) {
      this.problems.push({ ...at, message: this.noSchemaFor(address, providerOf(type)) });
      return;
    }
    const schema = (kind === 'data' ? provider.dataSources : provider.resources)[type];
    if (!schema) {
      const names = kind === 'data' ? provider.dataSourceTypes : provider.resourceTypes;
      const message = names.includes(type)
        ? `${noun} "${type}" is not in the committed schema of ${provider.provider}: run npm run terraform:schema`
        : `unknown ${noun} "${type}" in ${provider.provider} ${provider.providerVersion}; did you mean "${nearest(type, names)}"?`;
      this.problems.push({ ...at, message: `${address}: ${message}` });
      return;
    }
    const place = { file: at.file, address, path: [], line: at.line, outline: at.outline, root: schema };
    if ('count' in body && 'for_each' in body)
      this.report(place, this.lineOf(place, 'for_each'), 'count and for_each exclude each other');
    this.body(body, merged(schema, META[kind]), place);
  }

  private body(body: Body, schema: SchemaBlock, place: Place): void {
    const present = new Set<string>();
    for (const [name, value] of Object.entries(body)) {
      if (name === 'dynamic' && isBody(value)) {
        for (const [block, instances] of Object.entries(value)) {
          present.add(block);
          this.dynamic(block, bodies(instances), schema, place);
        }
        continue;
      }
      present.add(name);
      const provisioner = place.path.length === 0 && place.address.startsWith('resource ');
      if (provisioner && PROVISIONER_BLOCKS.has(name) && !(name in schema.blocks)) continue;
      const nested = schema.blocks[name];
      if (name in schema.arguments) {
        if (!place.outline?.arguments.has(name) && blocksNamed(place.outline, name).length > 0) {
          this.report(place, this.lineOf(place, name), `"${name}" is an argument: write ${name} = …`);
        }
      } else if (nested) {
        this.staticBlocks(name, value, nested, place);
      } else {
        this.unknown(name, schema, place);
      }
    }
    for (const [name, requirement] of Object.entries(schema.arguments)) {
      if (requirement === 'required' && !present.has(name)) {
        this.report(place, place.line, `missing required argument "${name}"`);
      }
    }
    for (const [name, nested] of Object.entries(schema.blocks)) {
      if (nested.required && !present.has(name))
        this.report(place, place.line, `missing required block "${name}"`);
    }
  }

  private staticBlocks(name: string, value: unknown, schema: NestedBlockSchema, place: Place): void {
    const line = this.lineOf(place, name);
    if (!Array.isArray(value) || place.outline?.arguments.has(name)) {
      this.report(place, line, `"${name}" is a block: write ${name} { … }`);
      return;
    }
    if (schema.single && value.length > 1) this.report(place, line, `at most one "${name}" block is allowed`);
    const outlines = blocksNamed(place.outline, name);
    bodies(value).forEach((body, index) => {
      const outline = outlines[index];
      this.body(body, schema, {
        ...place,
        path: [...place.path, name],
        line: outline?.line ?? line,
        outline: outline?.body,
      });
    });
  }

  /** `dynamic "name" { for_each = …, iterator = …, labels = …, content { … } }` generates `name` blocks. */
  private dynamic(name: string, instances: Body[], schema: SchemaBlock, place: Place): void {
    const outlines = blocksNamed(place.outline, 'dynamic', name);
    const nested = schema.blocks[name];
    instances.forEach((instance, index) => {
      const outline = outlines[index];
      const line = outline?.line ?? place.line;
      if (!nested) {
        this.unknown(name, schema, place, line);
        return;
      }
      const generator: SchemaBlock = {
        arguments: { for_each: 'required', iterator: 'optional', labels: 'optional' },
        blocks: { content: { ...nested, required: true, single: true } },
      };
      this.body(instance, generator, {
        ...place,
        path: [...place.path, `dynamic ${name}`],
        line,
        outline: outline?.body,
      });
    });
  }

  private unknown(name: string, schema: SchemaBlock, place: Place, line = this.lineOf(place, name)): void {
    const elsewhere = pathsOf(name, place.root).filter((path) => path !== [...place.path, name].join('.'));
    const valid = [...Object.keys(schema.arguments), ...Object.keys(schema.blocks)];
    const suggestion =
      elsewhere.length > 0
        ? `it belongs at ${elsewhere.map((path) => `"${path}"`).join(' or ')}`
        : `did you mean "${nearest(name, valid)}"?`;
    const what = place.outline?.arguments.has(name) ? 'argument' : 'block';
    this.report(place, line, `unknown ${what} "${name}" here; ${suggestion}`);
  }
}

/**
 * Checks every `resource`, `data` and `provider` block of a parsed module against the providers'
 * schemas: the type exists, every argument and nested block exists at its depth, required ones are
 * there, meta-arguments and `dynamic` blocks are understood. Problems come by file and line.
 */
export function checkAgainstProviderSchemas(
  module: ReadonlyMap<string, TerraformFile>,
  schemas: ReadonlyMap<string, ProviderSchema>,
): SchemaProblem[] {
  const checker = new Checker(schemas);
  for (const [file, { text, json }] of module) checker.file(file, text, json);
  return checker.problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/** One line per problem, as `file:line: message`. */
export function formatProblems(problems: readonly SchemaProblem[]): string[] {
  return problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`);
}
