import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { PushRequestBody } from '../../../local/pubsub/push';

/** One request the endpoint received. */
export interface PushRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON, unchecked: the tests compare it with the documented push format. */
  readonly body: PushRequestBody;
  readonly receivedAt: number;
}

/** A local HTTP server standing in for a push endpoint, answering each request with `respond`'s status. */
export interface PushEndpoint {
  readonly url: string;
  readonly requests: PushRequest[];
  close(): Promise<void>;
}

/** Closes the server, cutting kept-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}

/** Listens on a free port of 127.0.0.1 and resolves to the base URL. */
export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('Not a TCP server'));
      else resolve(`http://127.0.0.1:${address.port}`);
    });
  });
}

/** Starts an endpoint that records every request and answers with the status `respond` picks. */
export async function startPushEndpoint(respond: (request: PushRequest) => number): Promise<PushEndpoint> {
  const requests: PushRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: PushRequest = {
        path: req.url ?? '/',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        receivedAt: Date.now(),
      };
      requests.push(request);
      res.writeHead(respond(request)).end();
    });
  });
  const url = await listen(server);
  return { url, requests, close: () => closeServer(server) };
}
