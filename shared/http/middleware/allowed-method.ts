import type { MiddlewareObj } from '@middy/core';
import { MethodNotAllowedError } from '../http-errors';
import type { HttpEvent } from '../http-types';

/** Refuses every method but `method` with 405 and an `Allow` header. */
export function allowedMethod(method: 'GET' | 'POST'): MiddlewareObj<HttpEvent> {
  return {
    name: 'allowedMethod',
    before: ({ event }) => {
      if (event.req.method !== method) throw new MethodNotAllowedError([method]);
    },
  };
}
