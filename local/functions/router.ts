import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';

/** Handlers of the local functions server keyed by the first path segment (`register` serves `/register…`). */
export type RouteTable = ReadonlyMap<string, RequestListener>;

const NOT_FOUND_TYPE = 'https://errors.event-manager.dev/not-found';

/**
 * One route per function, each handing the request to the functions-framework's own server for that
 * function, so body parsing, `req.rawBody` and error handling are exactly the framework's. The function sees
 * the path after its name (at least `/`) and the original query string, as behind its production URL.
 */
export function functionRoutes(functionNames: readonly string[]): Map<string, RequestListener> {
  return new Map(
    functionNames.map((name): [string, RequestListener] => {
      const functionServer = getTestServer(name);
      return [
        name,
        (req, res) => {
          const { rest, search } = splitPath(req.url);
          req.url = `${rest}${search}`;
          functionServer.emit('request', req, res);
        },
      ];
    }),
  );
}

/** Dispatches each request on its first path segment; anything unknown gets a 404 problem. */
export function createRouter(routes: RouteTable): RequestListener {
  return (req, res) => {
    const { segment } = splitPath(req.url);
    const route = routes.get(segment);
    if (route) {
      route(req, res);
    } else {
      sendNotFound(req, res, segment);
    }
  };
}

/** Splits a request target such as `/register/x?y=1` into `register`, `/x` and `?y=1`, keeping it verbatim. */
function splitPath(url = '/'): { segment: string; rest: string; search: string } {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const [, segment = '', rest = ''] = /^\/([^/]*)(.*)$/.exec(path) ?? [];
  return { segment, rest: rest === '' ? '/' : rest, search: url.slice(path.length) };
}

function sendNotFound(req: IncomingMessage, res: ServerResponse, segment: string): void {
  // Drain the request body so the connection can be reused by keep-alive clients.
  req.resume();
  const body = JSON.stringify({
    type: NOT_FOUND_TYPE,
    title: 'Not Found',
    status: 404,
    detail: `No function named "${segment}".`,
  });
  res.writeHead(404, {
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
