import { createServer, type RequestListener } from 'node:http';
import { functionRegistry } from '../../functions/index';
import { boundPort } from '../ports';
import { createRouter, functionRoutes } from './router';

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
 * Everything the local functions server serves, by first path segment: every registered function, plus
 * (later) the local-only pages such as `/openapi.json` and `/docs`.
 */
function localRoutes(): Map<string, RequestListener> {
  return functionRoutes(functionRegistry.map((registered) => registered.name));
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
