import { type AnyDefinition, loadSync, type Options, type ServiceDefinition } from '@grpc/proto-loader';

/**
 * Decoding rules the emulators' handlers rely on: 64-bit integers as decimal strings so no precision is
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

function isService(definition: AnyDefinition | undefined): definition is ServiceDefinition {
  return definition !== undefined && !('format' in definition);
}

/** Loads the named gRPC services of one `.proto` file, in the order asked. */
export function loadServices(
  file: string,
  includeDirs: string[],
  names: readonly string[],
): ServiceDefinition[] {
  const definitions = loadSync(file, { ...LOADER_OPTIONS, includeDirs });
  return names.map((name) => {
    const definition = definitions[name];
    if (!isService(definition)) throw new Error(`${name} is not a service in ${file}`);
    return definition;
  });
}

/** Loads one gRPC service of a `.proto` file. */
export function loadService(file: string, includeDirs: string[], name: string): ServiceDefinition {
  const [service] = loadServices(file, includeDirs, [name]);
  if (service === undefined) throw new Error(`${name} is not a service in ${file}`);
  return service;
}

/** Parsing the SDKs' protos takes a few hundred milliseconds, so each service is loaded once per process. */
export function once<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
