import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { withRefsMoved, type JsonSchema } from '../../shared/openapi/json-schema';
import type { OpenApiDocument } from '../../shared/openapi/openapi-document';

/** One answer of a function, as a contract check sees it. */
export interface ObservedResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON for JSON media types, the text otherwise. */
  readonly body: unknown;
}

const COMPONENTS_ID = 'https://event-manager.dev/openapi/components';
const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Points the document's `#/components/schemas/<id>` at the `$defs` of one schema that holds them all. */
function withAbsoluteRefs(value: unknown): unknown {
  return withRefsMoved(value, '#/components/schemas/', `${COMPONENTS_ID}#/$defs/`);
}

function mediaType(headers: Headers): string {
  return (headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Checks answers against the OpenAPI document with Ajv's JSON Schema 2020-12 validator (OpenAPI 3.1's
 * dialect): the status must be documented for the operation, and the media type, required headers and
 * body must match what the document says about it.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true });
  private readonly validators = new Map<JsonSchema, ValidateFunction>();
  private readonly problem: JsonSchema = { $ref: '#/components/schemas/Problem' };

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: withAbsoluteRefs(document.components.schemas) });
  }

  /**
   * Everything wrong with one answer of the function `name` (sub-paths such as a push endpoint's included)
   * to `method`; empty when it keeps the contract. Internal functions are not part of it. Answers of
   * undocumented operations (unknown functions, wrong methods) must be problems, except when they report
   * no error (a CORS preflight's empty 204).
   */
  violations(name: string, method: string, response: ObservedResponse): string[] {
    const functionName = name.split('/')[0] ?? name;
    if (this.document['x-internal-functions'].includes(functionName)) return [];
    const pathItem = this.document.paths[`/${functionName}`];
    const operation = pathItem?.[method.toLowerCase()];
    if (operation === undefined) {
      const preflight = method === 'OPTIONS' && response.status === 204;
      return preflight ? [] : this.bodyViolations(this.problem, PROBLEM_MEDIA_TYPE, response);
    }
    const responses = (operation.responses ?? {}) as Record<string, JsonSchema>;
    const documented =
      responses[String(response.status)] ?? responses[`${String(response.status)[0]}XX`] ?? responses.default;
    if (documented === undefined) {
      return [`status ${response.status} is not documented for ${method} /${name}`];
    }
    if (documented.content === undefined) {
      return response.body === undefined || response.body === ''
        ? []
        : [`${response.status} of ${method} /${name} is documented without a body but has one`];
    }
    const content = documented.content as Record<string, { schema: JsonSchema }>;
    const type = mediaType(response.headers);
    const media = content[type];
    if (media === undefined) {
      return [`media type "${type}" is not documented for ${response.status} of ${method} /${name}`];
    }
    return [
      ...this.headerViolations(documented, response.headers),
      ...this.bodyViolations(media.schema, type, response),
    ];
  }

  private headerViolations(documented: JsonSchema, headers: Headers): string[] {
    const declared = (documented.headers ?? {}) as Record<string, { required?: boolean }>;
    return Object.entries(declared)
      .filter(([name, header]) => header.required === true && !headers.has(name))
      .map(([name]) => `required header ${name} is missing`);
  }

  private bodyViolations(schema: JsonSchema, expectedType: string, response: ObservedResponse): string[] {
    const type = mediaType(response.headers);
    if (type !== expectedType) return [`media type is "${type}", expected "${expectedType}"`];
    const validate = this.validator(schema);
    if (validate(response.body)) return [];
    return (validate.errors ?? []).map(
      (error) => `body${error.instancePath} ${error.message ?? 'is invalid'}`,
    );
  }

  private validator(schema: JsonSchema): ValidateFunction {
    const known = this.validators.get(schema);
    if (known !== undefined) return known;
    const compiled = this.ajv.compile(withAbsoluteRefs(schema) as JsonSchema);
    this.validators.set(schema, compiled);
    return compiled;
  }
}
