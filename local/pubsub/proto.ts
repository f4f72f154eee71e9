import path from 'node:path';
import type { ServiceDefinition } from '@grpc/proto-loader';
import { loadService, loadServices, once } from '../grpc/proto-services';

/**
 * The .proto files that ship with the Pub/Sub SDK (the same API definition the client speaks) and, for the
 * google/api and google/protobuf files they import, the protos of the google-gax copy the SDK itself uses.
 */
function pubsubIncludeDirectories(): string[] {
  const sdkEntry = require.resolve('@google-cloud/pubsub');
  const gaxEntry = require.resolve('google-gax', { paths: [path.dirname(sdkEntry)] });
  return [
    path.join(path.dirname(sdkEntry), '..', 'protos'),
    path.join(path.dirname(gaxEntry), '..', 'protos'),
  ];
}

/** google.pubsub.v1.Publisher and google.pubsub.v1.Subscriber, loaded from the SDK's protos. */
export const loadPubSubServices = once(
  (): { publisher: ServiceDefinition; subscriber: ServiceDefinition } => {
    const [publisher, subscriber] = loadServices(
      'google/pubsub/v1/pubsub.proto',
      pubsubIncludeDirectories(),
      ['google.pubsub.v1.Publisher', 'google.pubsub.v1.Subscriber'],
    );
    if (!publisher || !subscriber) throw new Error('pubsub.proto lacks the Publisher or Subscriber service');
    return { publisher, subscriber };
  },
);

/** The emulator's own reset service (admin.proto next to this file). */
export const loadAdminService = once(() =>
  loadService(path.join(__dirname, 'admin.proto'), [], 'eventmanager.emulator.PubSubAdmin'),
);
