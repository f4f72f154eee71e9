import { createServer, type RequestListener } from 'node:http';
import { functionRegistry } from '../../functions/index';
import {
  buildOpenApiDocument,
  PRODUCTION_SERVER,
  type OpenApiServer,
} from '../../shared/openapi/openapi-document';
import { boundPort } from '../ports';
import { openApiRoutes } from './openapi-routes';
import { createRouter, functionRoutes } from './router';

/** Relative to where the document is served from, so "Try it out" in `/docs` calls this very server. */
const SERVED_DOCUMENT_SERVER: OpenApiServer = { url: '/', description: 'This local functions server' };

/** Where the local functions server listens. */
export interface FunctionsServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

/** A listening local functions server. */
export interface RunningFunctionsServer {
  /** Base URL; a function is served at `${url}/<name>`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

/**
 * Everything the local functions server serves, by first path segment: every registered function, plus the
 * local-only `/openapi.json` and `/docs`. The document is built at start, so that an undocumented public
 * function stops the server with the generator's error instead of going unnoticed.
 */
function localRoutes(): Map<string, RequestListener> {
  const functions = functionRoutes(functionRegistry.map((registered) => registered.name));
  const document = buildOpenApiDocument(functionRegistry, [SERVED_DOCUMENT_SERVER, PRODUCTION_SERVER]);
  return new Map([...functions, ...openApiRoutes(document)]);
}

/**
 * Serves every function of `functions/index.ts` from one HTTP server at `/<name>`, the way each is served at
 * its own URL in production.
 */
export function startFunctionsServer(options: FunctionsServerOptions): Promise<RunningFunctionsServer> {
  const server = createServer(createRouter(localRoutes()));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const port = boundPort(server);
      resolve({
        url: `http://${options.host}:${port}`,
        port,
        stop: () =>
          new Promise<void>((resolveStop, rejectStop) => {
            server.close((error) => (error ? rejectStop(error) : resolveStop()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
