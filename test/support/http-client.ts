import { localCloudEnvironment } from './environment';

/** A request to one function of the local cloud. */
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

/**
 * Calls the function `name` of the local cloud over HTTP. `TBody` is what the test expects the body to be; it
 * is not checked, so assert on it.
 */
export async function callFunction<TBody = unknown>(
  name: string,
  request: FunctionRequest = {},
): Promise<FunctionResponse<TBody>> {
  const response = await fetch(functionUrl(name, request.query), {
    method: request.method ?? (request.body !== undefined || request.rawBody !== undefined ? 'POST' : 'GET'),
    headers: requestHeaders(request),
    body: request.body !== undefined ? JSON.stringify(request.body) : request.rawBody,
  });
  const text = await response.text();
  const isJson = /^application\/(problem\+)?json\b/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: response.headers,
    body: (isJson && text !== '' ? JSON.parse(text) : text) as TBody,
  };
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
