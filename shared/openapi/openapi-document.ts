import type { Access } from '../http/http-types';
import type {
  HttpOperation,
  OperationDocs,
  ProblemSlug,
  RegisteredFunction,
} from '../http/registered-function';
import { isRateLimited } from '../rate-limits/rate-limit-policy';
import { SchemaComponents, type JsonSchema } from './json-schema';
import { problemEntry, problemSchema, type ProblemEntry } from './problem-catalogue';

/** An OpenAPI Server Object. */
export interface OpenApiServer {
  readonly url: string;
  readonly description: string;
  readonly variables?: Readonly<Record<string, { readonly default: string; readonly description: string }>>;
}

/** The OpenAPI 3.1 document, as plain JSON. */
export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly jsonSchemaDialect: string;
  readonly info: JsonSchema;
  readonly servers: readonly OpenApiServer[];
  readonly tags: readonly { readonly name: string }[];
  readonly security: readonly Record<string, readonly string[]>[];
  /** Functions deployed beside the API but not part of it (scheduler jobs, Pub/Sub subscribers). */
  readonly 'x-internal-functions': readonly string[];
  readonly paths: Record<string, Record<string, JsonSchema>>;
  readonly components: {
    readonly schemas: Record<string, JsonSchema>;
    readonly securitySchemes: Record<string, JsonSchema>;
  };
}

/** Where each function runs in production: its own URL `https://REGION-PROJECT.cloudfunctions.net/<name>`. */
export const PRODUCTION_SERVER: OpenApiServer = {
  url: 'https://{region}-{project}.cloudfunctions.net',
  description: 'Google Cloud Functions (each function has its own URL under this host)',
  variables: {
    region: { default: 'europe-west1', description: 'The region of the deployment' },
    project: { default: 'demo-event-manager', description: 'The Google Cloud project id' },
  },
};

/** `npm start` on this machine. */
export const LOCAL_SERVER: OpenApiServer = {
  url: 'http://127.0.0.1:5001',
  description: 'The local cloud started by `npm start`',
};

const BEARER_AUTH = 'bearerAuth';
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

const INFO = {
  title: 'Event Manager API',
  version: '1',
  description: [
    'Sell event tickets: companies create events, people find them, book seats and pay by card.',
    '',
    '- JSON in and out, `camelCase`; unknown body fields and query parameters answer 400.',
    '- Money is an integer number of minor units plus an ISO 4217 `currency` in upper case.',
    '- Times are ISO 8601 with an offset on input; output is UTC with `Z`.',
    '- Every error is `application/problem+json` (RFC 9457); branch on its `type`, never on `title`.',
    '- Authentication: `Authorization: Bearer <Firebase ID token>` on every function except `stripeWebhook`.',
    "  The roles an operation's security requirement lists are the `role` claim it needs; the server sets",
    '  the claims at registration, after which the client refreshes its ID token.',
  ].join('\n'),
  license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
};

const ACCESS_SENTENCES: Readonly<Record<Access, string>> = {
  none: 'No ID token.',
  'signed-in': 'Any signed-in Firebase user, registered or not.',
  user: 'Registered users with role `user` (admins and unregistered users get 403).',
  admin:
    'Company admins (role `admin` with a `companyId` claim); others get 403. Every call checks that the ' +
    'token is not revoked and the account is still an admin (401 otherwise).',
  door:
    'Admins and door staff of a company (role `admin` or `staff` with a `companyId` claim); others get ' +
    '403. Every call checks that the token is not revoked and the account still holds its role (401 otherwise).',
};

function securityOf(access: Access): Record<string, string[]>[] {
  switch (access) {
    case 'none':
      return [];
    case 'signed-in':
      return [{ [BEARER_AUTH]: [] }];
    default:
      return [{ [BEARER_AUTH]: [access] }];
  }
}

/** The problems the middleware pipeline of `shared/http/define-http-function.ts` can answer. */
function pipelineProblems(name: string, operation: HttpOperation): ProblemSlug[] {
  // Every function refuses a compressed body (shared/http/framework-error-responses.ts), hence 415 for all.
  const slugs: ProblemSlug[] = [
    'validation',
    'method-not-allowed',
    'payload-too-large',
    'unsupported-media-type',
    'internal',
  ];
  if (operation.method === 'POST') slugs.push('malformed-json');
  if (operation.access !== 'none') slugs.push('unauthenticated');
  if (operation.access === 'user' || operation.access === 'admin' || operation.access === 'door') {
    slugs.push('forbidden');
  }
  if (isRateLimited(name)) slugs.push('rate-limited', 'unavailable');
  return slugs;
}

function problemResponse(status: number, entries: readonly ProblemEntry[]): JsonSchema {
  const headerNames = [...new Set(entries.flatMap((entry) => Object.keys(entry.headers)))];
  const headers = Object.fromEntries(
    headerNames.map((name) => {
      const carriers = entries.filter((entry) => entry.headers[name] !== undefined);
      return [
        name,
        {
          description: carriers[0]?.headers[name],
          required: carriers.length === entries.length,
          schema: { type: 'string' },
        },
      ];
    }),
  );
  return {
    description: entries.map((entry) => `\`${entry.slug}\`: ${entry.title}`).join('; '),
    ...(headerNames.length === 0 ? {} : { headers }),
    content: {
      'application/problem+json': {
        schema: {
          allOf: [
            PROBLEM_REF,
            {
              type: 'object',
              properties: {
                type: { enum: entries.map((entry) => entry.type) },
                status: { const: status },
              },
            },
          ],
        },
      },
    },
  };
}

/** Problem responses by status, in status order, each listing its problem types. */
function problemResponses(slugs: readonly ProblemSlug[]): Record<string, JsonSchema> {
  const byStatus = new Map<number, ProblemEntry[]>();
  for (const slug of new Set(slugs)) {
    const entry = problemEntry(slug);
    byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), entry]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, entries]) => [String(status), problemResponse(status, entries)]),
  );
}

/** Query parameters from the properties of the query schema's input side. */
function queryParameters(name: string, schema: JsonSchema): JsonSchema[] {
  const properties = schema.properties;
  if (schema.type !== 'object' || typeof properties !== 'object' || properties === null) {
    throw new Error(`The query schema of ${name} is not an object schema`);
  }
  const required = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(properties as Record<string, JsonSchema>).map(([parameter, parameterSchema]) => ({
    name: parameter,
    in: 'query',
    required: required.includes(parameter),
    ...(typeof parameterSchema.description === 'string' ? { description: parameterSchema.description } : {}),
    schema: parameterSchema,
  }));
}

function requestBody(operation: HttpOperation, docs: OperationDocs, components: SchemaComponents) {
  if (operation.body !== undefined) {
    return {
      required: true,
      content: { 'application/json': { schema: components.add(operation.body, 'input') } },
    };
  }
  if (docs.rawBody !== undefined) {
    return {
      required: true,
      description: docs.rawBody.description,
      content: { 'application/json': { schema: components.add(docs.rawBody.schema, 'input') } },
    };
  }
  return undefined;
}

function operationObject(
  fn: RegisteredFunction,
  operation: HttpOperation,
  docs: OperationDocs,
  components: SchemaComponents,
): JsonSchema {
  const parameters = [
    ...(operation.query === undefined
      ? []
      : queryParameters(fn.name, components.add(operation.query, 'input'))),
    ...(docs.headers ?? []).map((header) => ({
      name: header.name,
      in: 'header',
      required: header.required,
      description: header.description,
      schema: components.add(header.schema, 'input'),
    })),
  ];
  const body = requestBody(operation, docs, components);
  const problems = [...pipelineProblems(fn.name, operation), ...(docs.problems ?? [])];
  return {
    operationId: fn.name,
    tags: [docs.tag],
    summary: docs.summary,
    description: [docs.description, `**Access:** ${ACCESS_SENTENCES[operation.access]}`]
      .filter((part) => part !== undefined)
      .join('\n\n'),
    security: securityOf(operation.access),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(body === undefined ? {} : { requestBody: body }),
    responses: {
      [String(docs.response.status)]: {
        description: docs.response.description,
        ...(docs.response.schema === undefined
          ? {}
          : { content: { 'application/json': { schema: components.add(docs.response.schema, 'output') } } }),
      },
      ...problemResponses(problems),
    },
  };
}

/**
 * Builds the OpenAPI 3.1 document of every public HTTP function in `functions`, from the zod schemas that
 * validate their requests and the response schemas and problem types they declare (`docs`). Internal
 * functions (Cloud Scheduler jobs) and CloudEvent functions are not part of the public API: they are only
 * named, in `x-internal-functions`.
 *
 * @throws Error when a public HTTP function is not documented, or its schemas cannot be represented
 */
export function buildOpenApiDocument(
  functions: readonly RegisteredFunction[],
  servers: readonly OpenApiServer[] = [LOCAL_SERVER, PRODUCTION_SERVER],
): OpenApiDocument {
  const components = new SchemaComponents();
  components.add(problemSchema, 'output');
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const tags: string[] = [];
  const internal: string[] = [];
  for (const fn of functions) {
    if (fn.signature !== 'http' || fn.visibility !== 'public') {
      internal.push(fn.name);
      continue;
    }
    const operation = fn.http;
    const docs = operation?.docs;
    if (operation === undefined || docs === undefined) {
      throw new Error(`The public function ${fn.name} has no docs (response schema, problems) for OpenAPI`);
    }
    paths[`/${fn.name}`] = {
      [operation.method.toLowerCase()]: operationObject(fn, operation, docs, components),
    };
    if (!tags.includes(docs.tag)) tags.push(docs.tag);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: INFO,
    servers,
    tags: tags.map((name) => ({ name })),
    security: [],
    'x-internal-functions': internal,
    paths,
    components: {
      schemas: components.schemas(),
      securitySchemes: {
        [BEARER_AUTH]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Firebase ID token of the signed-in user (refresh it after `register`).',
        },
      },
    },
  };
}
