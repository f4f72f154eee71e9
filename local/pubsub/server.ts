import { listenInsecure, shutDownGracefully } from '../grpc/server-lifecycle';
import { adminHandlers } from './admin-service';
import { Broker } from './broker';
import { type DeliveryFaultSettingsInput, deliveryFaultSettingsSchema } from './delivery-faults';
import { loadAdminService, loadPubSubServices } from './proto';
import { publisherHandlers } from './publisher-service';
import { subscriberHandlers } from './subscriber-service';

/** Options of {@link startPubSubEmulator}. */
export interface PubSubEmulatorOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /**
   * Multiplies every redelivery backoff (retry policy and push backoff); default 1. Tests use e.g. 0.001
   * so that a 10 s minimum backoff takes 10 ms. Ack deadlines are not scaled.
   */
  backoffScale?: number;
  /** Delivery faults injected from the start (duplicates, delays); none by default. */
  deliveryFaults?: DeliveryFaultSettingsInput;
}

/** A running emulator. */
export interface RunningPubSubEmulator {
  host: string;
  port: number;
  /** `host:port`, the value for PUBSUB_EMULATOR_HOST. */
  address: string;
  /** Deletes all topics, subscriptions and messages; open pulls and streams end with NOT_FOUND. */
  reset(): void;
  /** Ends pulls, streams and push deliveries, then stops listening; later calls return the same promise. */
  stop(): Promise<void>;
}

/** Publish requests may be up to 10 MB; leave headroom for the protobuf framing. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Starts the in-memory Pub/Sub emulator: google.pubsub.v1.Publisher and Subscriber plus the PubSubAdmin
 * reset service on one insecure gRPC port. Clients connect through PUBSUB_EMULATOR_HOST=address (or the
 * SDK's apiEndpoint option); push subscriptions POST to their endpoints from this process.
 */
export async function startPubSubEmulator(
  options: PubSubEmulatorOptions = {},
): Promise<RunningPubSubEmulator> {
  const host = options.host ?? '127.0.0.1';
  const backoffScale = options.backoffScale ?? 1;
  if (!(backoffScale >= 0))
    throw new Error(`backoffScale must be a non-negative number, got ${backoffScale}`);
  const broker = new Broker(backoffScale);
  broker.deliveryFaults.configure(deliveryFaultSettingsSchema.parse(options.deliveryFaults ?? {}));
  const { publisher, subscriber } = loadPubSubServices();
  const { server, port, address } = await listenInsecure(host, options.port ?? 0, MAX_MESSAGE_BYTES, [
    [publisher, publisherHandlers(broker)],
    [subscriber, subscriberHandlers(broker)],
    [loadAdminService(), adminHandlers(broker)],
  ]);
  let stopped: Promise<void> | undefined;
  return {
    host,
    port,
    address,
    reset: () => broker.reset(),
    stop: () => {
      stopped ??= Promise.resolve().then(() => {
        broker.close();
        return shutDownGracefully(server);
      });
      return stopped;
    },
  };
}
