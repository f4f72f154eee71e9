import type { OpenApiDocument } from '../../shared/openapi/openapi-document';
import { localCloudEnvironment } from './environment';
import { OpenApiContract } from './openapi-contract';

/** A request to one function of the local cloud, byte for byte as the test wants it. */
export interface FunctionRequest {
  /** `POST` when there is a body, `GET` otherwise. */
  method?: string;
  /** Sent as JSON, with `Content-Type: application/json` unless `headers` gives another. */
  body?: unknown;
  /** Sent byte for byte, with no content type unless `headers` gives one (malformed JSON, signed webhooks). */
  rawBody?: string | Uint8Array;
  /** A Firebase ID token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
  /** Appended to the URL; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
}

/** What a function answered. */
export interface FunctionResponse<TBody> {
  status: number;
  headers: Headers;
  /** Parsed JSON for JSON and problem+json answers, the text otherwise. */
  body: TBody;
}

let servedContract: Promise<OpenApiContract> | undefined;

/** The OpenAPI document that the local functions server serves, fetched once per test file. */
export function openApiContract(): Promise<OpenApiContract> {
  servedContract ??= fetch(new URL('/openapi.json', localCloudEnvironment().functionsUrl)).then(
    async (response) => {
      if (!response.ok)
        throw new Error(`GET /openapi.json answered ${response.status}: ${await response.text()}`);
      return new OpenApiContract((await response.json()) as OpenApiDocument);
    },
  );
  return servedContract;
}

/**
 * Reads an answer of the function `name` to `method` and checks it against the served OpenAPI document;
 * a mismatch throws, failing the test: every integration test is a contract test too.
 */
export async function checkedAnswer<TBody>(
  name: string,
  method: string,
  response: Response,
): Promise<FunctionResponse<TBody>> {
  const text = await response.text();
  const isJson = /^application\/(problem\+)?json\b/.test(response.headers.get('content-type') ?? '');
  const result = {
    status: response.status,
    headers: response.headers,
    body: (isJson && text !== '' ? JSON.parse(text) : text) as TBody,
  };
  const violations = (await openApiContract()).violations(name, method, result);
  if (violations.length > 0) {
    throw new Error(
      `${method} /${name} answered ${result.status} against the OpenAPI document:\n- ${violations.join('\n- ')}\n` +
        `body: ${text.slice(0, 2000)}`,
    );
  }
  return result;
}

/**
 * The raw request: sends exactly what the test says to the function `name`, for the requests that the
 * typed client (`api-client.ts`) cannot express — malformed JSON, other content types, bodies or queries
 * that break the schema, signed raw webhook bodies, oversized bodies, wrong methods. Everything else goes
 * through the typed client. `TBody` is what the test expects the body to be; the answer is checked against
 * the served OpenAPI document all the same.
 */
export async function callFunction<TBody = unknown>(
  name: string,
  request: FunctionRequest = {},
): Promise<FunctionResponse<TBody>> {
  const method =
    request.method ?? (request.body !== undefined || request.rawBody !== undefined ? 'POST' : 'GET');
  const response = await fetch(functionUrl(name, request.query), {
    method,
    headers: requestHeaders(request),
    body: request.body !== undefined ? JSON.stringify(request.body) : request.rawBody,
  });
  return checkedAnswer(name, method, response);
}

function functionUrl(name: string, query: FunctionRequest['query'] = {}): URL {
  const url = new URL(`/${name}`, localCloudEnvironment().functionsUrl);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/** `headers` win over the defaults, whatever their case. */
function requestHeaders(request: FunctionRequest): Headers {
  const headers = new Headers(request.headers);
  if (request.body !== undefined && !headers.has('content-type')) {
    headers.set('content-type', 'application/json');
  }
  if (request.token !== undefined && !headers.has('authorization')) {
    headers.set('authorization', `Bearer ${request.token}`);
  }
  return headers;
}
