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

/** The .proto files that ship with the Firestore SDK: the same API definition the client speaks. */
function firestoreProtosDirectory(): string {
  const sdkEntry = require.resolve('@google-cloud/firestore');
  return path.join(path.dirname(sdkEntry), '..', 'protos');
}

function isService(definition: AnyDefinition | undefined): definition is ServiceDefinition {
  return definition !== undefined && !('format' in definition);
}

function service(file: string, includeDirs: string[], name: string): ServiceDefinition {
  const definition = loadSync(file, { ...LOADER_OPTIONS, includeDirs })[name];
  if (!isService(definition)) throw new Error(`${name} is not a service in ${file}`);
  return definition;
}

/** Parsing the Firestore protos takes a few hundred milliseconds, so each service is loaded once per process. */
function once(load: () => ServiceDefinition): () => ServiceDefinition {
  let loaded: ServiceDefinition | undefined;
  return () => (loaded ??= load());
}

/** google.firestore.v1.Firestore, loaded from the SDK's protos. */
export const loadFirestoreService = once(() =>
  service(
    'google/firestore/v1/firestore.proto',
    [firestoreProtosDirectory()],
    'google.firestore.v1.Firestore',
  ),
);

/** The emulator's own reset service (admin.proto next to this file). */
export const loadAdminService = once(() =>
  service(path.join(__dirname, 'admin.proto'), [], 'eventmanager.emulator.EmulatorAdmin'),
);
