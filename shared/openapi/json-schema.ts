import * as z from 'zod';

/** A JSON Schema (draft 2020-12) object, OpenAPI 3.1's schema dialect. */
export type JsonSchema = { [keyword: string]: unknown };

const COMPONENTS = '#/components/schemas/';

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of `value` in which every `$ref` that starts with `from` starts with `to` instead: the same schemas
 * referenced from another place (zod's `#/$defs/`, the document's components, a validator's registry).
 */
export function withRefsMoved(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withRefsMoved(item, from, to));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === '$ref' && typeof child === 'string' && child.startsWith(from)
        ? `${to}${child.slice(from.length)}`
        : withRefsMoved(child, from, to),
    ]),
  );
}

/**
 * Converts zod schemas with zod's own `z.toJSONSchema` and collects the named ones (an `id` in their
 * metadata) as the document's `components.schemas`, so that `Event` or `Booking` are defined once and
 * referenced everywhere.
 */
export class SchemaComponents {
  private readonly named = new Map<string, JsonSchema>();

  /**
   * The JSON Schema of `schema` as a client sends it (`input`: defaults optional, before transforms) or
   * receives it (`output`).
   *
   * @throws Error when two different schemas use the same id, or zod cannot represent the schema
   */
  add(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'throw' });
    const {
      $schema: _dialect,
      $defs: defs = {},
      ...root
    } = withRefsMoved(converted, '#/$defs/', COMPONENTS) as JsonSchema;
    for (const [id, definition] of Object.entries(defs as Record<string, JsonSchema>)) {
      const known = this.named.get(id);
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(definition)) {
        throw new Error(
          `Two different schemas are named ${id} (an ${io} schema differs from an earlier one)`,
        );
      }
      this.named.set(id, definition);
    }
    return root;
  }

  /** The named schemas collected so far, by name. */
  schemas(): Record<string, JsonSchema> {
    return Object.fromEntries([...this.named].sort(([a], [b]) => a.localeCompare(b)));
  }
}
