import type { ServerResponse } from 'node:http';
import type { ProblemResponse } from './problem';
import type { HttpResult } from './http-types';

/** Headers every response carries; the clients are mobile apps, so nothing here invites a browser. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** Writes a handler's result as JSON (or its own media type) with the service's base headers. */
export function writeResult(res: ServerResponse, result: HttpResult): void {
  if (res.headersSent) return;
  res.statusCode = result.status;
  for (const [name, value] of Object.entries({ ...BASE_HEADERS, ...result.headers })) {
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

/** Writes an RFC 9457 problem document. */
export function writeProblem(res: ServerResponse, problem: ProblemResponse): void {
  writeResult(res, problemResult(problem));
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
