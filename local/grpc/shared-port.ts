import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { type Server, ServerCredentials } from '@grpc/grpc-js';

/** What every HTTP/2 connection opened with prior knowledge (gRPC without TLS) sends first. */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** A gRPC server and an HTTP/1.1 handler sharing one insecure port. */
export interface SharedPort {
  readonly port: number;
  /**
   * Stops accepting connections; resolves once every connection is gone. HTTP/1.1 requests in flight get
   * `graceMs` to finish; the gRPC side is the gRPC server's to shut down.
   */
  close(graceMs: number): Promise<void>;
}

/**
 * Whether the first bytes of a connection can still be, or are, the HTTP/2 preface: a client that speaks
 * HTTP/1.1 differs from it by the second byte at the latest ("PO…", "PA…", "PU…"), so a short first
 * packet is decided as soon as it disagrees.
 */
function http2Verdict(head: Buffer): 'http2' | 'http1' | 'undecided' {
  const length = Math.min(head.length, HTTP2_PREFACE.length);
  if (!head.subarray(0, length).equals(HTTP2_PREFACE.subarray(0, length))) return 'http1';
  return length === HTTP2_PREFACE.length ? 'http2' : 'undecided';
}

/** Reads a connection's first bytes until it is clearly HTTP/2 or not, then hands it on with them unread. */
function route(socket: Socket, grpc: (socket: Socket) => void, http1: (socket: Socket) => void): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const verdict = http2Verdict(head);
    if (verdict === 'undecided') return;
    socket.off('data', onData);
    socket.pause();
    socket.unshift(head);
    // The HTTP/2 session reads the socket natively (taking the buffered bytes first); the HTTP/1.1 server
    // reads it as a paused stream that it does not resume by itself.
    if (verdict === 'http2') grpc(socket);
    else {
      http1(socket);
      socket.resume();
    }
  };
  socket.on('data', onData);
}

/**
 * Serves `grpcServer` (HTTP/2 with prior knowledge) and `http1` (HTTP/1.1) on one port, as Google's
 * Firestore emulator does: each connection is told apart by its first bytes.
 */
export async function listenShared(
  host: string,
  port: number,
  grpcServer: Server,
  http1: RequestListener,
): Promise<SharedPort> {
  const injector = grpcServer.createConnectionInjector(ServerCredentials.createInsecure());
  const httpServer = createHttpServer(http1);
  const tcp: TcpServer = createTcpServer((socket) =>
    route(
      socket,
      (connection) => injector.injectConnection(connection),
      (connection) => httpServer.emit('connection', connection),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  const address = tcp.address();
  if (address === null || typeof address === 'string') throw new Error('No TCP port was assigned');
  return {
    port: address.port,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        httpServer.closeIdleConnections();
        setTimeout(() => httpServer.closeAllConnections(), graceMs).unref();
      }),
  };
}
