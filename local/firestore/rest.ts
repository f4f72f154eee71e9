import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { fromProto3JSON, type JSONObject, type JSONValue, toProto3JSON } from 'proto3-json-serializer';
import { type INamespace, Root, Type } from 'protobufjs';
import { once } from '../grpc/proto-services';
import { FirestoreError, invalidArgument, toStatus } from './errors';
import { parseDatabaseName } from './paths';
import { loadFirestoreService } from './proto';
import type { FirestoreRpc } from './service';

/*
 * Firestore's REST API (v1 JSON, https://cloud.google.com/firestore/docs/reference/rest) over the very
 * RPCs the gRPC side serves: a request is mapped from its URL, query string and body to the RPC's
 * request message (proto3 JSON mapping), run by the same handler, and its responses mapped back.
 */

/** Requests may be up to 10 MiB in production; the gRPC side accepts the same headroom. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Query parameters every Google REST API accepts and this emulator has no use for. */
const SYSTEM_PARAMETERS = new Set([
  'alt',
  '$alt',
  'key',
  'prettyPrint',
  'fields',
  'quotaUser',
  'access_token',
  'callback',
  'upload_protocol',
  'uploadType',
]);

/** HTTP statuses of the canonical error codes, as Google's APIs map them (google.rpc.Code). */
const HTTP_STATUS: Readonly<Record<number, number>> = {
  [status.CANCELLED]: 499,
  [status.UNKNOWN]: 500,
  [status.INVALID_ARGUMENT]: 400,
  [status.DEADLINE_EXCEEDED]: 504,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.PERMISSION_DENIED]: 403,
  [status.UNAUTHENTICATED]: 401,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.FAILED_PRECONDITION]: 400,
  [status.ABORTED]: 409,
  [status.OUT_OF_RANGE]: 400,
  [status.UNIMPLEMENTED]: 501,
  [status.INTERNAL]: 500,
  [status.UNAVAILABLE]: 503,
  [status.DATA_LOSS]: 500,
};

/** Where an RPC finds its request: the URL's variables, plus the body as the whole request or one field. */
interface Route {
  readonly rpc: string;
  readonly fromPath: JSONObject;
  readonly body: 'request' | 'document' | 'none';
}

/** The Firestore messages as protobufjs reflection, from the JSON descriptor that ships with the SDK. */
const firestoreReflection = once(() => {
  const sdkEntry = require.resolve('@google-cloud/firestore');
  const file = path.join(path.dirname(sdkEntry), '..', 'protos', 'v1.json');
  // The SDK's generated descriptor, in protobufjs' own JSON format.
  const root = Root.fromJSON(JSON.parse(readFileSync(file, 'utf8')) as INamespace);
  root.resolveAll();
  return root;
});

function messageTypes(rpc: string): { request: Type; response: Type } {
  const method = firestoreReflection().lookupService('google.firestore.v1.Firestore').methods[rpc];
  const request = method?.resolvedRequestType;
  const response = method?.resolvedResponseType;
  if (!request || !response) throw new Error(`No RPC ${rpc} in the Firestore descriptor`);
  return { request, response };
}

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function isObject(value: JSONValue | undefined): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Types whose JSON form is not an object of their fields (Timestamp as a string, and so on). */
function hasOwnJsonForm(type: Type): boolean {
  return type.fullName.startsWith('.google.protobuf.');
}

/**
 * Checks a request's JSON against its message type and renames `snake_case` keys to the JSON names
 * (parsers accept both); an unknown name fails the request, as Firestore does.
 */
function normalise(type: Type, json: JSONValue): JSONValue {
  if (!isObject(json) || hasOwnJsonForm(type)) return json;
  const result: JSONObject = {};
  for (const [key, value] of Object.entries(json)) {
    const name = camelCase(key);
    const field = type.fields[name];
    if (!field)
      throw invalidArgument(`Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
    const element = field.resolvedType;
    if (!(element instanceof Type) || value === null) result[name] = value;
    else if (field.repeated && Array.isArray(value))
      result[name] = value.map((item) => normalise(element, item));
    else if (field.map && isObject(value)) {
      result[name] = Object.fromEntries(
        Object.entries(value).map(([entry, item]) => [entry, normalise(element, item)]),
      );
    } else result[name] = normalise(element, value);
  }
  return result;
}

/** Sets a query parameter (`mask.fieldPaths=a`, `currentDocument.exists=true`) in the request's JSON. */
function setParameter(type: Type, json: JSONObject, key: string, raw: string): void {
  const names = key.split('.').map(camelCase);
  let messageType = type;
  let target = json;
  names.forEach((name, index) => {
    const field = messageType.fields[name];
    if (!field)
      throw invalidArgument(
        `Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter.`,
      );
    if (index < names.length - 1) {
      const nested = field.resolvedType;
      if (!(nested instanceof Type) || field.repeated) {
        throw invalidArgument(
          `Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter.`,
        );
      }
      const existing = target[name];
      const child: JSONObject = isObject(existing) ? existing : {};
      target[name] = child;
      target = child;
      messageType = nested;
      return;
    }
    let value: JSONValue = raw;
    if (field.type === 'bool') {
      if (raw !== 'true' && raw !== 'false') {
        throw invalidArgument(`Invalid value at '${key}' (TYPE_BOOL), "${raw}"`);
      }
      value = raw === 'true';
    }
    const existing = target[name];
    target[name] = field.repeated ? [...(Array.isArray(existing) ? existing : []), value] : value;
  });
}

/** The path of a URL, each segment percent-decoded. */
function decodedSegments(pathname: string): string[] {
  try {
    return pathname.split('/').map(decodeURIComponent);
  } catch {
    throw invalidArgument(`Invalid URL path: ${pathname}`);
  }
}

const PARENT_VERBS = new Map([
  ['runQuery', 'RunQuery'],
  ['runAggregationQuery', 'RunAggregationQuery'],
  ['listCollectionIds', 'ListCollectionIds'],
]);
const DATABASE_RPCS = new Map([
  ['batchGet', 'BatchGetDocuments'],
  ['beginTransaction', 'BeginTransaction'],
  ['commit', 'Commit'],
  ['rollback', 'Rollback'],
  ['batchWrite', 'BatchWrite'],
]);

/** The RPC behind a REST call, after the HTTP bindings of google/firestore/v1/firestore.proto. */
function routeOf(method: string, pathname: string): Route | undefined {
  const segments = decodedSegments(pathname);
  // ['', 'v1', 'projects', p, 'databases', d, 'documents…', …]
  if (
    segments[0] !== '' ||
    segments[1] !== 'v1' ||
    segments[2] !== 'projects' ||
    segments[4] !== 'databases'
  ) {
    return undefined;
  }
  const database = `projects/${segments[3] ?? ''}/databases/${segments[5] ?? ''}`;
  const below = segments.slice(6);
  const last = below.at(-1) ?? '';
  const colon = last.lastIndexOf(':');
  const verb = colon >= 0 ? last.slice(colon + 1) : undefined;
  const resource = verb === undefined ? below : [...below.slice(0, -1), last.slice(0, colon)];
  if (resource[0] !== 'documents') return undefined;
  const documentPath = resource.slice(1);
  const under = (pathSegments: readonly string[]) => [`${database}/documents`, ...pathSegments].join('/');
  if (verb !== undefined) {
    if (method !== 'POST') return undefined;
    const databaseRpc = DATABASE_RPCS.get(verb);
    if (databaseRpc && documentPath.length === 0) {
      return { rpc: databaseRpc, fromPath: { database }, body: 'request' };
    }
    const parentRpc = PARENT_VERBS.get(verb);
    if (parentRpc && documentPath.length % 2 === 0) {
      return { rpc: parentRpc, fromPath: { parent: under(documentPath) }, body: 'request' };
    }
    return undefined;
  }
  if (documentPath.length === 0) return undefined;
  const isDocument = documentPath.length % 2 === 0;
  const name = under(documentPath);
  const parent = under(documentPath.slice(0, -1));
  const collectionId = documentPath.at(-1) ?? '';
  switch (method) {
    case 'GET':
      return isDocument
        ? { rpc: 'GetDocument', fromPath: { name }, body: 'none' }
        : { rpc: 'ListDocuments', fromPath: { parent, collectionId }, body: 'none' };
    case 'POST':
      return isDocument
        ? undefined
        : { rpc: 'CreateDocument', fromPath: { parent, collectionId }, body: 'document' };
    case 'PATCH':
      return isDocument
        ? { rpc: 'UpdateDocument', fromPath: { document: { name } }, body: 'document' }
        : undefined;
    case 'DELETE':
      return isDocument ? { rpc: 'DeleteDocument', fromPath: { name }, body: 'none' } : undefined;
    default:
      return undefined;
  }
}

async function readJsonBody(request: IncomingMessage): Promise<JSONObject> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new FirestoreError(status.RESOURCE_EXHAUSTED, 'Request payload too large.');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(
      `Invalid JSON payload received. ${error instanceof Error ? error.message : ''}`.trim(),
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidArgument('Invalid JSON payload received. The request body must be a JSON object.');
  }
  return parsed as JSONObject;
}

/** The request message of `route` in the emulator's internal (proto-loader) form. */
function decodeRequest(route: Route, url: URL, body: JSONObject): object {
  const types = messageTypes(route.rpc);
  let json: JSONObject = { ...route.fromPath };
  if (route.body === 'request') json = { ...body, ...route.fromPath };
  if (route.body === 'document') {
    const document = isObject(route.fromPath.document) ? { ...body, ...route.fromPath.document } : body;
    json = { ...route.fromPath, document };
  }
  for (const [key, value] of url.searchParams) {
    if (!SYSTEM_PARAMETERS.has(key) && !key.startsWith('$')) setParameter(types.request, json, key, value);
  }
  let message;
  try {
    message = fromProto3JSON(types.request, normalise(types.request, json));
  } catch (error) {
    if (error instanceof FirestoreError) throw error;
    throw invalidArgument(
      `Invalid JSON payload received. ${error instanceof Error ? error.message : ''}`.trim(),
    );
  }
  if (!message) throw invalidArgument('Invalid JSON payload received.');
  const definition = loadFirestoreService()[route.rpc];
  if (!definition) throw new Error(`No RPC ${route.rpc} in the Firestore service`);
  return definition.requestDeserialize(Buffer.from(types.request.encode(message).finish()));
}

/** A response in proto3 JSON; enums as numbers when the client asked for `enum-encoding=int`. */
function encodeResponse(rpc: string, response: object, numericEnums: boolean): JSONValue {
  const definition = loadFirestoreService()[rpc];
  if (!definition) throw new Error(`No RPC ${rpc} in the Firestore service`);
  const message = messageTypes(rpc).response.decode(definition.responseSerialize(response));
  return toProto3JSON(message, { numericEnums });
}

function reply(response: ServerResponse, httpStatus: number, body: JSONValue | string): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(httpStatus, {
    'content-type':
      typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** A failure as Google's JSON error body, with the HTTP status of its code. */
function replyError(response: ServerResponse, error: unknown): void {
  const { code = status.INTERNAL, details = '' } = toStatus(error);
  reply(response, HTTP_STATUS[code] ?? 500, {
    error: { code: HTTP_STATUS[code] ?? 500, message: details, status: status[code] },
  });
}

async function runRoute(rpc: FirestoreRpc, request: object): Promise<object | object[]> {
  if (!rpc.streaming) return rpc.handle(request);
  const responses: object[] = [];
  await rpc.handle(request, (message) => responses.push(message));
  return responses;
}

/** What the REST side needs from the emulator. */
export interface RestBackend {
  /** The Firestore RPCs by method name. */
  readonly rpcs: Readonly<Record<string, FirestoreRpc>>;
  /** Deletes the documents of one database (Google's emulator: DELETE /emulator/v1/{database}/documents). */
  reset(database: string): void;
}

const RESET_PATH = /^\/emulator\/v1\/(projects\/[^/]+\/databases\/[^/]+)\/documents$/;

async function serve(
  backend: RestBackend,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://emulator');
  const method = request.method ?? 'GET';
  if (url.pathname === '/' && method === 'GET') return reply(response, 200, 'Ok\n');
  const reset = RESET_PATH.exec(decodedSegments(url.pathname).join('/'));
  if (reset?.[1] && method === 'DELETE') {
    backend.reset(parseDatabaseName(reset[1]));
    return reply(response, 200, {});
  }
  const route = routeOf(method, url.pathname);
  const rpc = route && backend.rpcs[route.rpc];
  if (!route || !rpc) {
    throw new FirestoreError(status.NOT_FOUND, `No Firestore REST method for ${method} ${url.pathname}.`);
  }
  const body = route.body === 'none' ? {} : await readJsonBody(request);
  const result = await runRoute(rpc, decodeRequest(route, url, body));
  const numericEnums = [url.searchParams.get('$alt'), url.searchParams.get('alt')].some((alt) =>
    alt?.includes('enum-encoding=int'),
  );
  const encode = (message: object) => encodeResponse(route.rpc, message, numericEnums);
  reply(response, 200, Array.isArray(result) ? result.map(encode) : encode(result));
}

/**
 * The HTTP/1.1 side of the emulator's port: Firestore's REST API (v1 JSON), errors as Google's JSON error
 * bodies with the matching HTTP status. Streaming RPCs (batchGet, runQuery, runAggregationQuery) answer
 * with a JSON array of their responses, as Firestore does.
 */
export function firestoreRestHandler(backend: RestBackend): RequestListener {
  return (request, response) => {
    serve(backend, request, response).catch((error: unknown) => replyError(response, error));
  };
}
