import type { IncomingMessage, ServerResponse } from 'node:http';
import { StripeApiError } from './errors';

/** Stripe's API takes small bodies; anything near this is a mistake, not a payment. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The request body as UTF-8 text, refused with a 413 when it exceeds the limit. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new StripeApiError(413, {
            type: 'invalid_request_error',
            message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
          }),
        );
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Writes a JSON response whose body is already serialised (replays must be byte for byte). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** The serialised `{ "error": ... }` body of an API error. */
export function errorBody(error: StripeApiError): string {
  return JSON.stringify({ error: error.body }, null, 2);
}
