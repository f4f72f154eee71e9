import * as z from 'zod';
import { functionRegistry } from '../../../functions/index';
import { defineHttpFunction } from '../../../shared/http/define-http-function';
import type { ProblemBody } from '../../../shared/http/problem';
import type { ProblemSlug, RegisteredFunction } from '../../../shared/http/registered-function';
import type { JsonSchema } from '../../../shared/openapi/json-schema';
import { buildOpenApiDocument, type OpenApiDocument } from '../../../shared/openapi/openapi-document';
import { problemEntry, type problemSchema } from '../../../shared/openapi/problem-catalogue';
import { OpenApiContract } from '../../support/openapi-contract';

/** True only when `A` and `B` are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DocumentedProblem = z.infer<typeof problemSchema>;
// The Problem component cannot drift from what shared/http/problem.ts writes: same fields, same types.
const problemSchemaIsProblemBody: DocumentedProblem extends ProblemBody
  ? Same<keyof DocumentedProblem, keyof ProblemBody>
  : false = true;

const document = buildOpenApiDocument(functionRegistry);
const publicHttp = functionRegistry.filter((fn) => fn.signature === 'http' && fn.visibility === 'public');

function operationOf(fn: RegisteredFunction): JsonSchema {
  const method = fn.http?.method.toLowerCase() ?? 'none';
  const operation = document.paths[`/${fn.name}`]?.[method];
  if (operation === undefined) throw new Error(`No operation for ${fn.name}`);
  return operation;
}

function responsesOf(fn: RegisteredFunction): Record<string, JsonSchema> {
  return operationOf(fn).responses as Record<string, JsonSchema>;
}

/** The problem `type` URIs an operation documents for one status. */
function problemTypes(fn: RegisteredFunction, status: number): string[] {
  const response = responsesOf(fn)[String(status)];
  const content = response?.content as Record<string, { schema: { allOf: JsonSchema[] } }> | undefined;
  const branch = content?.['application/problem+json']?.schema.allOf[1] as
    { properties: { type: { enum: string[] } } } | undefined;
  return branch?.properties.type.enum ?? [];
}

function typeOf(slug: ProblemSlug): string {
  return problemEntry(slug).type;
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === '$ref' && typeof child === 'string' ? [child] : refsIn(child),
  );
}

function resolve(ref: string, root: OpenApiDocument): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined,
      root,
    );
}

describe('the OpenAPI document', () => {
  it('is an OpenAPI 3.1 document in the JSON Schema 2020-12 dialect', () => {
    expect(problemSchemaIsProblemBody).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(document.info).toMatchObject({ title: 'Event Manager API', version: '1' });
    expect(document.components.securitySchemes.bearerAuth).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    );
  });

  it('has one operation per public HTTP function, with its method, and names the internal ones only', () => {
    for (const fn of publicHttp) {
      expect(Object.keys(document.paths[`/${fn.name}`] ?? {})).toEqual([fn.http?.method.toLowerCase()]);
      expect(operationOf(fn)).toMatchObject({ operationId: fn.name, summary: expect.any(String) });
    }
    const internal = functionRegistry.filter((fn) => !publicHttp.includes(fn)).map((fn) => fn.name);
    expect(internal).toEqual(
      expect.arrayContaining(['releaseExpiredHolds', 'sweepOutbox', 'reconcileInventory', 'issueTickets']),
    );
    expect(document['x-internal-functions']).toEqual(internal);
  });

  it('requires a bearer token with the role each function needs, and none for stripeWebhook', () => {
    const security = Object.fromEntries(publicHttp.map((fn) => [fn.name, operationOf(fn).security]));
    expect(security).toMatchObject({
      register: [{ bearerAuth: [] }],
      getEvent: [{ bearerAuth: [] }],
      book: [{ bearerAuth: ['user'] }],
      createEvent: [{ bearerAuth: ['admin'] }],
      stripeWebhook: [],
    });
    expect(
      operationOf(publicHttp.find((fn) => fn.name === 'stripeWebhook') as RegisteredFunction),
    ).toMatchObject({
      parameters: [{ name: 'Stripe-Signature', in: 'header', required: true }],
      requestBody: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/StripeEvent' } } },
      },
    });
  });

  it('documents request bodies and query parameters from the validating schemas, as a client sends them', () => {
    for (const fn of publicHttp) {
      const operation = operationOf(fn);
      if (fn.http?.body !== undefined) {
        expect(operation.requestBody).toMatchObject({
          required: true,
          content: { 'application/json': { schema: { type: 'object', additionalProperties: false } } },
        });
      }
    }
    const createEvent = operationOf(
      functionRegistry.find((fn) => fn.name === 'createEvent') as RegisteredFunction,
    );
    const body = (createEvent.requestBody as { content: Record<string, { schema: JsonSchema }> }).content[
      'application/json'
    ]?.schema;
    // Defaults make a field optional for the client.
    expect(body?.required).not.toContain('holdMinutes');
    expect(body?.properties).toMatchObject({ holdMinutes: { default: 15, minimum: 1, maximum: 60 } });

    const search = operationOf(
      functionRegistry.find((fn) => fn.name === 'searchEvents') as RegisteredFunction,
    );
    const parameters = search.parameters as { name: string; in: string; required: boolean }[];
    expect(parameters.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining([
        'q',
        'from',
        'to',
        'lat',
        'lng',
        'radiusKm',
        'onlyAvailable',
        'limit',
        'cursor',
      ]),
    );
    expect(parameters.every((parameter) => parameter.in === 'query' && !parameter.required)).toBe(true);
    const getEvent = operationOf(functionRegistry.find((fn) => fn.name === 'getEvent') as RegisteredFunction);
    expect(getEvent.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'query', required: true, schema: expect.any(Object) }),
    ]);
  });

  it('documents the success answer and every problem type of each function', () => {
    for (const fn of publicHttp) {
      const docs = fn.http?.docs;
      const responses = responsesOf(fn);
      // A success without a body (204) is documented without content; any other has a JSON schema.
      const success = responses[String(docs?.response.status)];
      if (docs?.response.schema === undefined) expect(success).toEqual({ description: expect.any(String) });
      else expect(success).toMatchObject({ content: { 'application/json': { schema: expect.any(Object) } } });
      expect(problemTypes(fn, 400)).toContain(typeOf('validation'));
      expect(problemTypes(fn, 405)).toEqual([typeOf('method-not-allowed')]);
      expect(problemTypes(fn, 500)).toEqual([typeOf('internal')]);
      for (const slug of docs?.problems ?? []) {
        expect(problemTypes(fn, problemEntry(slug).status)).toContain(typeOf(slug));
      }
      if (fn.http?.access !== 'none') expect(problemTypes(fn, 401)).toEqual([typeOf('unauthenticated')]);
    }
    const book = functionRegistry.find((fn) => fn.name === 'book') as RegisteredFunction;
    expect(problemTypes(book, 409)).toEqual(
      ['event-started', 'event-cancelled', 'sold-out', 'hold-limit-reached', 'idempotency-key-reused'].map(
        (slug) => typeOf(slug as ProblemSlug),
      ),
    );
    expect(problemTypes(book, 403)).toEqual([typeOf('forbidden')]);
    expect(problemTypes(book, 415)).toEqual([typeOf('unsupported-media-type')]);
    expect(responsesOf(book)['429']).toMatchObject({ headers: { 'Retry-After': { required: true } } });
    expect(responsesOf(book)['405']).toMatchObject({ headers: { Allow: { required: true } } });
    const me = functionRegistry.find((fn) => fn.name === 'me') as RegisteredFunction;
    expect(responsesOf(me)['403']).toBeUndefined();
    // Even a GET refuses a compressed body (decision 95).
    expect(problemTypes(me, 415)).toEqual([typeOf('unsupported-media-type')]);
  });

  it('defines the shared objects once, and every reference resolves', () => {
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Booking',
        'Event',
        'Payment',
        'Problem',
        'FieldIssue',
        'Ticket',
        'User',
        'Company',
      ]),
    );
    const refs = refsIn(document);
    expect(refs).toContain('#/components/schemas/Event');
    for (const ref of refs)
      expect({ ref, target: resolve(ref, document) }).toEqual({ ref, target: expect.any(Object) });
  });

  it('holds only valid JSON Schema 2020-12 (Ajv compiles every schema in strict mode)', () => {
    const contract = new OpenApiContract(document);
    // Checking an answer compiles the schema of the response it matches.
    for (const fn of publicHttp) {
      for (const [status, response] of Object.entries(responsesOf(fn))) {
        for (const mediaType of Object.keys((response.content ?? {}) as object)) {
          const answer = {
            status: Number(status),
            headers: new Headers({ 'content-type': mediaType }),
            body: {},
          };
          expect(() => contract.violations(fn.name, fn.http?.method ?? 'GET', answer)).not.toThrow();
        }
      }
    }
  });

  it('refuses to document a public function without docs', () => {
    const undocumented: RegisteredFunction = {
      name: 'undocumented',
      signature: 'http',
      visibility: 'public',
      http: { method: 'GET', access: 'signed-in', body: undefined, query: undefined, docs: undefined },
    };
    expect(() => buildOpenApiDocument([undocumented])).toThrow(
      'The public function undocumented has no docs',
    );
  });

  it('refuses one name for two different schemas (a request and a response shape)', () => {
    const shape = z.strictObject({ count: z.int().default(1) }).meta({ id: 'CountedThing' });
    const both = defineHttpFunction({
      name: 'countThings',
      method: 'POST',
      access: 'signed-in',
      body: shape,
      docs: { tag: 'Test', summary: 'count', response: { status: 200, description: 'ok', schema: shape } },
      handle: async () => ({ status: 200 }),
    });
    expect(() => buildOpenApiDocument([both])).toThrow('Two different schemas are named CountedThing');
  });
});
