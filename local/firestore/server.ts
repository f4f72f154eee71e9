import { createGrpcServer, GRACEFUL_STOP_MS, shutDownGracefully } from '../grpc/server-lifecycle';
import { listenShared } from '../grpc/shared-port';
import type { CommitFault } from './faults';
import { loadAdminService, loadFirestoreService } from './proto';
import { firestoreRestHandler } from './rest';
import { type EmulatorSettings, FirestoreEmulatorService } from './service';

/** Options of {@link startFirestoreEmulator}. */
export interface FirestoreEmulatorOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Extra milliseconds every commit holds its locks before applying (models production latency); default 0. */
  commitLatencyMs?: number;
  /** Idle time after which an open transaction expires and releases its locks; default 270 000 ms. */
  transactionIdleTimeoutMs?: number;
  /** Longest wait for a lock before the request fails with ABORTED; default 5 000 ms. */
  lockWaitTimeoutMs?: number;
  /** Commit failures to inject from the start (docs/local-firestore-emulator.md); none by default. */
  commitFaults?: readonly CommitFault[];
}

/** A running emulator. */
export interface RunningFirestoreEmulator {
  host: string;
  port: number;
  /** `host:port`, the value for FIRESTORE_EMULATOR_HOST. */
  address: string;
  /** Deletes all data and aborts all open transactions. */
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULTS: EmulatorSettings = {
  commitLatencyMs: 0,
  transactionIdleTimeoutMs: 270_000,
  lockWaitTimeoutMs: 5_000,
};

/** Firestore requests may be up to 10 MiB; leave headroom for batches. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Starts the in-memory Firestore emulator: google.firestore.v1.Firestore plus the EmulatorAdmin reset
 * service over gRPC, and Firestore's REST API over HTTP/1.1, on one insecure port (as Google's emulator
 * does). Clients connect through FIRESTORE_EMULATOR_HOST=address, with or without `preferRest`.
 */
export async function startFirestoreEmulator(
  options: FirestoreEmulatorOptions = {},
): Promise<RunningFirestoreEmulator> {
  const host = options.host ?? '127.0.0.1';
  const service = new FirestoreEmulatorService({
    commitLatencyMs: options.commitLatencyMs ?? DEFAULTS.commitLatencyMs,
    transactionIdleTimeoutMs: options.transactionIdleTimeoutMs ?? DEFAULTS.transactionIdleTimeoutMs,
    lockWaitTimeoutMs: options.lockWaitTimeoutMs ?? DEFAULTS.lockWaitTimeoutMs,
    commitFaults: options.commitFaults ?? [],
  });
  const server = createGrpcServer(MAX_MESSAGE_BYTES, [
    [loadFirestoreService(), service.firestoreHandlers()],
    [loadAdminService(), service.adminHandlers()],
  ]);
  const rest = firestoreRestHandler({
    rpcs: service.rpcs(),
    reset: (database) => service.reset(database),
  });
  const shared = await listenShared(host, options.port ?? 0, server, rest);
  let stopped: Promise<void> | undefined;
  return {
    host,
    port: shared.port,
    address: `${host}:${shared.port}`,
    reset: () => service.reset(),
    stop: () => {
      stopped ??= Promise.all([shutDownGracefully(server), shared.close(GRACEFUL_STOP_MS)]).then(() =>
        service.reset(),
      );
      return stopped;
    },
  };
}
