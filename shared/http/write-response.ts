import type { ServerResponse } from 'node:http';
import type { ProblemResponse } from './problem';
import type { HttpResult } from './http-types';

/**
 * Headers every function response carries, problems and framework errors included (OWASP REST Security
 * Cheat Sheet). Answers hold personal data and change with every call, so nothing may cache them; and
 * although the clients are mobile apps, a browser that opens an API URL must never sniff, frame, render
 * or refer from it. Pages that are not API answers (the local `/docs`) set their own policy.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

/** Writes a handler's result as JSON (or its own media type) with the security headers. */
export function writeResult(res: ServerResponse, result: HttpResult): void {
  if (res.headersSent) return;
  res.statusCode = result.status;
  for (const [name, value] of Object.entries({ ...SECURITY_HEADERS, ...result.headers })) {
    res.setHeader(name, value);
  }
  if (result.body === undefined) {
    res.end();
    return;
  }
  const contentType = result.contentType ?? 'application/json; charset=utf-8';
  res.setHeader('Content-Type', contentType);
  res.end(typeof result.body === 'string' ? result.body : JSON.stringify(result.body));
}

/** A problem as a handler result, with the problem+json media type. */
export function problemResult(problem: ProblemResponse): HttpResult {
  return {
    status: problem.status,
    headers: problem.headers,
    body: problem.body,
    contentType: 'application/problem+json; charset=utf-8',
  };
}

/** `result` with `headers` added, replacing any of the same name. */
export function withHeaders(result: HttpResult, headers: Readonly<Record<string, string>>): HttpResult {
  return Object.keys(headers).length === 0
    ? result
    : { ...result, headers: { ...result.headers, ...headers } };
}
