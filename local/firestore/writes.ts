import { status } from '@grpc/grpc-js';
import { fromWireTimestamp, type Micros, toWireTimestamp } from './clock';
import { FirestoreError, invalidArgument } from './errors';
import { deleteField, type FieldPath, getField, parseFieldPath, setField } from './field-paths';
import { parseWrittenDocumentName, type ResourcePath } from './paths';
import type { DatabaseStore, StoredDocument } from './store';
import { applyTransform, type FieldTransform, parseFieldTransform } from './transforms';
import { decodeFields, encodeValue, type Fields, identicalFields, type Value } from './values';
import type { WirePrecondition, WireWrite, WireWriteResult } from './wire';

type Precondition = { readonly exists: boolean } | { readonly updateTime: Micros };

/** One write of a Commit or BatchWrite, validated. */
export interface ParsedWrite {
  /** Full document name: also the lock key. */
  readonly name: string;
  readonly path: ResourcePath;
  /** set replaces the document, merge applies `mask`, transform only runs `transforms`. */
  readonly kind: 'set' | 'merge' | 'delete' | 'transform';
  readonly fields: Fields;
  readonly mask: readonly FieldPath[];
  readonly transforms: readonly FieldTransform[];
  readonly precondition: Precondition | undefined;
}

function parsePrecondition(wire: WirePrecondition | undefined): Precondition | undefined {
  if (wire?.conditionType === 'exists') return { exists: wire.exists === true };
  if (wire?.conditionType === 'updateTime' && wire.updateTime) {
    return { updateTime: fromWireTimestamp(wire.updateTime) };
  }
  return undefined;
}

/** Validates a wire write against the database of the request. */
export function parseWrite(database: string, wire: WireWrite): ParsedWrite {
  const transforms = (wire.updateTransforms ?? []).map(parseFieldTransform);
  const precondition = parsePrecondition(wire.currentDocument);
  switch (wire.operation) {
    case 'update': {
      const name = wire.update?.name ?? '';
      return {
        name,
        path: parseWrittenDocumentName(database, name),
        kind: wire.updateMask ? 'merge' : 'set',
        fields: decodeFields(wire.update?.fields),
        mask: (wire.updateMask?.fieldPaths ?? []).map(parseFieldPath),
        transforms,
        precondition,
      };
    }
    case 'delete': {
      if (transforms.length > 0) throw invalidArgument('A delete cannot have field transforms.');
      const name = wire.delete ?? '';
      const path = parseWrittenDocumentName(database, name);
      return { name, path, kind: 'delete', fields: new Map(), mask: [], transforms, precondition };
    }
    case 'transform': {
      const name = wire.transform?.document ?? '';
      return {
        name,
        path: parseWrittenDocumentName(database, name),
        kind: 'transform',
        fields: new Map(),
        mask: [],
        transforms: [...(wire.transform?.fieldTransforms ?? []).map(parseFieldTransform), ...transforms],
        precondition,
      };
    }
    default:
      throw invalidArgument('A write must set an operation.');
  }
}

function checkPrecondition(write: ParsedWrite, current: StoredDocument | undefined): void {
  const { precondition } = write;
  if (!precondition) return;
  if ('exists' in precondition) {
    if (precondition.exists && !current) {
      throw new FirestoreError(status.NOT_FOUND, `No document to update: ${write.name}`);
    }
    if (!precondition.exists && current) {
      throw new FirestoreError(status.ALREADY_EXISTS, `Document already exists: ${write.name}`);
    }
    return;
  }
  const stored = current?.updateTime ?? 0n;
  if (stored !== precondition.updateTime) {
    throw new FirestoreError(
      status.FAILED_PRECONDITION,
      `the stored version (${stored}) does not match the required base version (${precondition.updateTime})`,
    );
  }
}

function mergeMasked(base: Fields, write: ParsedWrite): Fields {
  let fields = base;
  for (const path of write.mask) {
    const value = getField(write.fields, path);
    fields = value === undefined ? deleteField(fields, path) : setField(fields, path, value);
  }
  return fields;
}

function newFields(write: ParsedWrite, current: StoredDocument | undefined): Fields | undefined {
  switch (write.kind) {
    case 'delete':
      return undefined;
    case 'set':
      return write.fields;
    case 'merge':
      return mergeMasked(current?.fields ?? new Map<string, Value>(), write);
    case 'transform':
      return current?.fields ?? new Map<string, Value>();
  }
}

/** The outcome of a commit's writes, not yet installed in the store. */
export interface AppliedWrites {
  readonly results: WireWriteResult[];
  /** Final state of every document whose content changed, by name. */
  readonly changes: Map<string, { path: ResourcePath; document: StoredDocument | undefined }>;
}

/**
 * Applies writes in order, each seeing the ones before it, without touching the store: any failing write
 * (precondition, bad input) throws and nothing of the commit is applied.
 */
export function applyWrites(
  store: DatabaseStore,
  writes: readonly ParsedWrite[],
  commitTime: Micros,
): AppliedWrites {
  const working = new Map<string, StoredDocument | undefined>();
  const results: WireWriteResult[] = [];
  for (const write of writes) {
    const current = working.has(write.name) ? working.get(write.name) : store.get(write.path);
    checkPrecondition(write, current);
    let fields = newFields(write, current);
    const transformResults: Value[] = [];
    if (fields !== undefined) {
      for (const transform of write.transforms) {
        const value = applyTransform(transform.operation, getField(fields, transform.path), commitTime);
        fields = setField(fields, transform.path, value);
        transformResults.push(value);
      }
    }
    const unchanged =
      current !== undefined && fields !== undefined && identicalFields(current.fields, fields);
    const next: StoredDocument | undefined =
      fields === undefined
        ? undefined
        : unchanged
          ? current
          : {
              path: write.path,
              fields,
              createTime: current?.createTime ?? commitTime,
              updateTime: commitTime,
            };
    working.set(write.name, next);
    results.push({
      updateTime: next ? toWireTimestamp(next.updateTime) : undefined,
      transformResults: transformResults.map(encodeValue),
    });
  }
  const changes: AppliedWrites['changes'] = new Map();
  for (const write of writes) {
    const document = working.get(write.name);
    if (document !== store.get(write.path)) changes.set(write.name, { path: write.path, document });
  }
  return { results, changes };
}

/** Makes a commit's changes visible, all at the commit time. */
export function installWrites(store: DatabaseStore, applied: AppliedWrites, commitTime: Micros): void {
  for (const { path, document } of applied.changes.values()) store.install(path, document, commitTime);
}
