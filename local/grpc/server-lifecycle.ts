import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

/** How long a stop lets in-flight calls finish before cutting connections. */
export const GRACEFUL_STOP_MS = 1_000;

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

/** A gRPC server listening on an insecure port. */
export interface ListeningGrpcServer {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** `host:port`, the value for the `*_EMULATOR_HOST` variable. */
  readonly address: string;
}

/** A gRPC server with `services`, accepting messages up to `maxMessageBytes` each way; not bound yet. */
export function createGrpcServer(
  maxMessageBytes: number,
  services: readonly [ServiceDefinition, UntypedServiceImplementation][],
): Server {
  const server = new Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
  });
  for (const [definition, handlers] of services) server.addService(definition, handlers);
  return server;
}

/**
 * Starts a gRPC server with `services` on `host:port` (0 for a free port), accepting messages up to
 * `maxMessageBytes` each way.
 */
export async function listenInsecure(
  host: string,
  port: number,
  maxMessageBytes: number,
  services: readonly [ServiceDefinition, UntypedServiceImplementation][],
): Promise<ListeningGrpcServer> {
  const server = createGrpcServer(maxMessageBytes, services);
  const bound = await bindInsecure(server, `${host}:${port}`);
  return { server, host, port: bound, address: `${host}:${bound}` };
}
