import type { MiddlewareObj, Request as MiddyRequest } from '@middy/core';
import { getConfig } from '../../config/config';
import { corsResponseHeaders, preflightHeaders } from '../cors';
import type { HttpEvent, HttpResult } from '../http-types';
import { withHeaders } from '../write-response';

/**
 * CORS for browser clients, off unless `CORS_ALLOWED_ORIGINS` lists origins. It must be the outermost
 * middleware: it answers preflights before the method and token checks (a preflight carries neither the
 * method nor the token), and it runs last on the way out, so that problems carry its headers too.
 */
export function cors(
  method: 'GET' | 'POST',
  allowedOrigins: () => readonly string[] = () => getConfig().corsAllowedOrigins,
): MiddlewareObj<HttpEvent, HttpResult> {
  const decorate = (request: MiddyRequest<HttpEvent, HttpResult>): void => {
    // Typed as nullable; undefined until a handler or `problemResponses` has answered.
    if (!request.response) return;
    const headers = corsResponseHeaders(allowedOrigins(), request.event.req.get('origin'));
    request.response = withHeaders(request.response, headers);
  };
  return {
    name: 'cors',
    before: ({ event }) => {
      const headers = preflightHeaders(
        allowedOrigins(),
        {
          method: event.req.method,
          origin: event.req.get('origin'),
          requestedMethod: event.req.get('access-control-request-method'),
        },
        method,
      );
      return headers === undefined ? undefined : { status: 204, headers };
    },
    after: decorate,
    onError: decorate,
  };
}
