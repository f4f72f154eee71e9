import { Server, ServerCredentials } from '@grpc/grpc-js';

/** How long a stop lets in-flight calls finish before cutting connections. */
const GRACEFUL_STOP_MS = 1_000;

/** Binds `server` to `address` (`host:port`, port 0 for a free one) without TLS; resolves to the port. */
export function bindInsecure(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}

/** Lets in-flight calls finish for a moment, then cuts the remaining connections. */
export function shutDownGracefully(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, GRACEFUL_STOP_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
