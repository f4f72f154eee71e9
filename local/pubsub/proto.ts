import path from 'node:path';
import { type AnyDefinition, loadSync, type Options, type ServiceDefinition } from '@grpc/proto-loader';

/**
 * Decoding rules the handlers rely on (see wire.ts): 64-bit integers as decimal strings so no precision is
 * lost, enums by name, oneof discriminators, and unset fields left undefined so presence is visible.
 */
const LOADER_OPTIONS: Options = {
  keepCase: false,
  longs: String,
  enums: String,
  oneofs: true,
  arrays: true,
  objects: true,
  defaults: false,
};

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

function isService(definition: AnyDefinition | undefined): definition is ServiceDefinition {
  return definition !== undefined && !('format' in definition);
}

function services(file: string, includeDirs: string[], names: readonly string[]): ServiceDefinition[] {
  const definitions = loadSync(file, { ...LOADER_OPTIONS, includeDirs });
  return names.map((name) => {
    const definition = definitions[name];
    if (!isService(definition)) throw new Error(`${name} is not a service in ${file}`);
    return definition;
  });
}

/** google.pubsub.v1.Publisher and google.pubsub.v1.Subscriber, loaded from the SDK's protos. */
export function loadPubSubServices(): { publisher: ServiceDefinition; subscriber: ServiceDefinition } {
  const [publisher, subscriber] = services('google/pubsub/v1/pubsub.proto', pubsubIncludeDirectories(), [
    'google.pubsub.v1.Publisher',
    'google.pubsub.v1.Subscriber',
  ]);
  if (!publisher || !subscriber) throw new Error('pubsub.proto lacks the Publisher or Subscriber service');
  return { publisher, subscriber };
}

/** The emulator's own reset service (admin.proto next to this file). */
export function loadAdminService(): ServiceDefinition {
  const [admin] = services(path.join(__dirname, 'admin.proto'), [], ['eventmanager.emulator.PubSubAdmin']);
  if (!admin) throw new Error('admin.proto lacks the PubSubAdmin service');
  return admin;
}
