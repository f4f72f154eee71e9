import type { MiddlewareObj } from '@middy/core';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../http-errors';
import type { HttpEvent } from '../http-types';

/** The largest body any function accepts; the framework itself would buffer up to 1024 MB. */
export const MAX_BODY_BYTES = 64 * 1024;

function declaredLength(event: HttpEvent): number {
  const header = event.req.get('content-length');
  return header === undefined ? 0 : Number(header);
}

/**
 * Enforces the body limit (413) and, for functions that take a body, the JSON media type (415). The
 * framework has already parsed a JSON body into `req.body` by the time this runs.
 */
export function jsonBody(options: { readonly requireJson: boolean }): MiddlewareObj<HttpEvent> {
  return {
    name: 'jsonBody',
    before: ({ event }) => {
      const size = Math.max(event.req.rawBody?.length ?? 0, declaredLength(event));
      if (size > MAX_BODY_BYTES) {
        throw new PayloadTooLargeError(`The request body exceeds ${MAX_BODY_BYTES} bytes.`);
      }
      if (options.requireJson && event.req.is('application/json') !== 'application/json') {
        throw new UnsupportedMediaTypeError('Send the request body as application/json.');
      }
    },
  };
}
