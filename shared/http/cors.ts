import * as z from 'zod';

/** Request headers a browser client may send: the ID token, JSON bodies and booking idempotency keys. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
/** Response headers beyond the CORS-safelisted ones that a browser client may read. */
const EXPOSED_HEADERS = 'Retry-After';
/** How long a browser may reuse a preflight answer (Chromium caps it at two hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const originSchema = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
}, 'must be an origin such as https://app.example.com (scheme, host and port only, no "*")');

/**
 * `CORS_ALLOWED_ORIGINS`: comma-separated exact origins allowed to call the API from a browser. Unset or
 * empty means CORS is off, as the clients are mobile apps.
 */
export const corsOriginsVariable = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  )
  .pipe(z.array(originSchema));

/**
 * Headers of an actual response under CORS: none while CORS is off; otherwise `Vary: Origin` on every
 * answer (it depends on the origin) and the caller's origin echoed back when it is allowed. Never `*` and
 * never credentials: the API authenticates with bearer tokens, not cookies.
 */
export function corsResponseHeaders(
  allowedOrigins: readonly string[],
  origin: string | undefined,
): Record<string, string> {
  if (allowedOrigins.length === 0) return {};
  if (origin === undefined || !allowedOrigins.includes(origin)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    Vary: 'Origin',
  };
}

/** What a preflight (`OPTIONS` with `Access-Control-Request-Method`) carries that CORS looks at. */
export interface PreflightRequest {
  readonly method: string;
  readonly origin: string | undefined;
  readonly requestedMethod: string | undefined;
}

/**
 * The headers of a 204 answer to a preflight from an allowed origin, or undefined when the request is no
 * such preflight (it is then answered like any other request, a 405 for OPTIONS).
 */
export function preflightHeaders(
  allowedOrigins: readonly string[],
  request: PreflightRequest,
  method: 'GET' | 'POST',
): Record<string, string> | undefined {
  const { origin } = request;
  if (request.method !== 'OPTIONS' || request.requestedMethod === undefined) return undefined;
  if (origin === undefined || !allowedOrigins.includes(origin)) return undefined;
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': method,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
    Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
  };
}
