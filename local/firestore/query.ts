import { status } from '@grpc/grpc-js';
import { FirestoreError, invalidArgument } from './errors';
import {
  DOCUMENT_ID_FIELD,
  type FieldPath,
  fieldPathKey,
  getField,
  parseFieldPath,
  projectFields,
} from './field-paths';
import { comparePaths, isDescendant, type ResourcePath, resourceName } from './paths';
import type { StoredDocument } from './store';
import { compareUtf8 } from './strings';
import {
  compareValues,
  decodeValue,
  isNaNValue,
  NULL_VALUE,
  typeOrder,
  type Value,
  valuesEqual,
} from './values';
import type { WireCursor, WireFilter, WireStructuredQuery } from './wire';

const FIELD_OPERATORS = [
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'EQUAL',
  'NOT_EQUAL',
  'ARRAY_CONTAINS',
  'IN',
  'ARRAY_CONTAINS_ANY',
  'NOT_IN',
] as const;
const UNARY_OPERATORS = ['IS_NAN', 'IS_NULL', 'IS_NOT_NAN', 'IS_NOT_NULL'] as const;
type FieldOperator = (typeof FIELD_OPERATORS)[number];
type UnaryOperator = (typeof UNARY_OPERATORS)[number];

/** Operators that make their field an implicit order of the query. */
const INEQUALITIES: ReadonlySet<string> = new Set([
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'NOT_EQUAL',
  'NOT_IN',
  'IS_NOT_NAN',
  'IS_NOT_NULL',
]);

function isFieldOperator(op: string): op is FieldOperator {
  return (FIELD_OPERATORS as readonly string[]).includes(op);
}

function isUnaryOperator(op: string): op is UnaryOperator {
  return (UNARY_OPERATORS as readonly string[]).includes(op);
}

type Filter =
  | { readonly kind: 'composite'; readonly op: 'AND' | 'OR'; readonly filters: readonly Filter[] }
  | { readonly kind: 'field'; readonly path: FieldPath; readonly op: FieldOperator; readonly value: Value }
  | { readonly kind: 'unary'; readonly path: FieldPath; readonly op: UnaryOperator };

interface Order {
  readonly path: FieldPath;
  readonly descending: boolean;
}

interface Cursor {
  readonly values: readonly Value[];
  readonly before: boolean;
}

/** A validated structured query with its complete (explicit + implicit) ordering. */
export interface Query {
  readonly database: string;
  readonly parent: ResourcePath;
  /** undefined for a kindless all-descendants query (used by recursiveDelete). */
  readonly collectionId: string | undefined;
  readonly allDescendants: boolean;
  readonly filter: Filter | undefined;
  readonly orderBy: readonly Order[];
  readonly startAt: Cursor | undefined;
  readonly endAt: Cursor | undefined;
  readonly offset: number;
  readonly limit: number | undefined;
  readonly projection: readonly FieldPath[] | undefined;
}

function parseFilter(wire: WireFilter): Filter {
  switch (wire.filterType) {
    case 'compositeFilter': {
      const op = wire.compositeFilter?.op;
      if (op !== 'AND' && op !== 'OR') throw invalidArgument('A composite filter needs AND or OR.');
      const filters = (wire.compositeFilter?.filters ?? []).map(parseFilter);
      if (filters.length === 0) throw invalidArgument('A composite filter needs at least one filter.');
      return { kind: 'composite', op, filters };
    }
    case 'fieldFilter': {
      const op = wire.fieldFilter?.op ?? '';
      if (!isFieldOperator(op)) throw invalidArgument(`Unknown field filter operator ${op}.`);
      const value = decodeValue(wire.fieldFilter?.value ?? {});
      const needsArray = op === 'IN' || op === 'NOT_IN' || op === 'ARRAY_CONTAINS_ANY';
      if (needsArray && value.kind !== 'array') throw invalidArgument(`${op} needs an array value.`);
      const path = parseFieldPath(wire.fieldFilter?.field?.fieldPath);
      return { kind: 'field', path, op, value };
    }
    case 'unaryFilter': {
      const op = wire.unaryFilter?.op ?? '';
      if (!isUnaryOperator(op)) throw invalidArgument(`Unknown unary filter operator ${op}.`);
      return { kind: 'unary', path: parseFieldPath(wire.unaryFilter?.field?.fieldPath), op };
    }
    default:
      throw invalidArgument('A filter must set a filter type.');
  }
}

function inequalityPaths(filter: Filter | undefined, into: Map<string, FieldPath>): Map<string, FieldPath> {
  if (filter?.kind === 'composite') for (const child of filter.filters) inequalityPaths(child, into);
  else if (filter && INEQUALITIES.has(filter.op)) into.set(fieldPathKey(filter.path), filter.path);
  return into;
}

function compareFieldPaths(a: FieldPath, b: FieldPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareUtf8(a[i] ?? '', b[i] ?? '');
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/**
 * Firestore orders by the explicit orderBy, then by every inequality field not already ordered (field paths
 * in lexicographic order), then by document name, also when the document name has an inequality filter of
 * its own; the implicit orders take the direction of the last explicit.
 */
function completeOrdering(explicit: readonly Order[], filter: Filter | undefined): Order[] {
  const orderBy = [...explicit];
  const descending = explicit.at(-1)?.descending ?? false;
  const ordered = new Set(explicit.map((order) => fieldPathKey(order.path)));
  const implicit = [...inequalityPaths(filter, new Map()).entries()]
    .filter(([key]) => !ordered.has(key))
    .map(([, path]) => path)
    .filter((path) => !isDocumentId(path))
    .sort(compareFieldPaths);
  for (const path of implicit) orderBy.push({ path, descending });
  if (!ordered.has(fieldPathKey([DOCUMENT_ID_FIELD])))
    orderBy.push({ path: [DOCUMENT_ID_FIELD], descending });
  return orderBy;
}

function parseCursor(wire: WireCursor | undefined, orderBy: readonly Order[]): Cursor | undefined {
  if (!wire) return undefined;
  const values = (wire.values ?? []).map(decodeValue);
  if (values.length > orderBy.length)
    throw invalidArgument('A cursor has more values than the query has orders.');
  return { values, before: wire.before === true };
}

/** Validates a StructuredQuery run under `parent` of `database`. */
export function parseQuery(
  database: string,
  parent: ResourcePath,
  wire: WireStructuredQuery | undefined,
): Query {
  if (!wire) throw invalidArgument('A structured query is required.');
  if (wire.findNearest) throw new FirestoreError(status.UNIMPLEMENTED, 'Vector search is not emulated.');
  const [from, ...moreFrom] = wire.from ?? [];
  if (!from || moreFrom.length > 0) throw invalidArgument('A query must select exactly one collection.');
  const collectionId = from.collectionId || undefined;
  const allDescendants = from.allDescendants === true;
  if (collectionId === undefined && !allDescendants) throw invalidArgument('A query needs a collection id.');
  const filter = wire.where ? parseFilter(wire.where) : undefined;
  const explicit = (wire.orderBy ?? []).map((order) => ({
    path: parseFieldPath(order.field?.fieldPath),
    descending: order.direction === 'DESCENDING',
  }));
  const orderBy = completeOrdering(explicit, filter);
  const offset = wire.offset ?? 0;
  // Int32Value wrapper: present-but-empty means 0 (proto3 does not send zero values).
  const limit = wire.limit ? (wire.limit.value ?? 0) : undefined;
  if (offset < 0 || (limit !== undefined && limit < 0))
    throw invalidArgument('offset and limit must be >= 0.');
  const selected = wire.select?.fields ?? [];
  return {
    database,
    parent,
    collectionId,
    allDescendants,
    filter,
    orderBy,
    startAt: parseCursor(wire.startAt, orderBy),
    endAt: parseCursor(wire.endAt, orderBy),
    offset,
    limit,
    projection:
      wire.select && selected.length > 0 ? selected.map((f) => parseFieldPath(f.fieldPath)) : undefined,
  };
}

function isDocumentId(path: FieldPath): boolean {
  return path.length === 1 && path[0] === DOCUMENT_ID_FIELD;
}

/** The value a query sees at a field path; `__name__` is the document's reference. */
function queryValue(query: Query, document: StoredDocument, path: FieldPath): Value | undefined {
  if (isDocumentId(path)) return { kind: 'reference', value: resourceName(query.database, document.path) };
  return getField(document.fields, path);
}

function arrayValues(value: Value): readonly Value[] {
  return value.kind === 'array' ? value.values : [];
}

/** Equality as filters see it: NaN equals nothing, only IS_NAN (`== NaN`) matches it. */
function filterEqual(a: Value, b: Value): boolean {
  return !isNaNValue(a) && !isNaNValue(b) && valuesEqual(a, b);
}

function matchesField(op: FieldOperator, actual: Value | undefined, expected: Value): boolean {
  if (actual === undefined) return false;
  switch (op) {
    case 'EQUAL':
      return valuesEqual(actual, expected);
    case 'NOT_EQUAL':
      return actual.kind !== 'null' && !valuesEqual(actual, expected);
    case 'LESS_THAN':
    case 'LESS_THAN_OR_EQUAL':
    case 'GREATER_THAN':
    case 'GREATER_THAN_OR_EQUAL': {
      // Range filters only match values of the same type as the operand ("type bracketing"), never NaN.
      if (typeOrder(actual) !== typeOrder(expected)) return false;
      if (isNaNValue(actual) || isNaNValue(expected)) return false;
      const order = compareValues(actual, expected);
      if (op === 'LESS_THAN') return order < 0;
      if (op === 'LESS_THAN_OR_EQUAL') return order <= 0;
      if (op === 'GREATER_THAN') return order > 0;
      return order >= 0;
    }
    case 'IN':
      return arrayValues(expected).some((candidate) => filterEqual(actual, candidate));
    case 'NOT_IN': {
      const excluded = arrayValues(expected);
      if (excluded.some((candidate) => candidate.kind === 'null')) return false;
      return actual.kind !== 'null' && !excluded.some((candidate) => filterEqual(actual, candidate));
    }
    case 'ARRAY_CONTAINS':
      return arrayValues(actual).some((element) => valuesEqual(element, expected));
    case 'ARRAY_CONTAINS_ANY':
      return arrayValues(actual).some((element) =>
        arrayValues(expected).some((e) => valuesEqual(element, e)),
      );
  }
}

function matchesUnary(op: UnaryOperator, actual: Value | undefined): boolean {
  if (actual === undefined) return false;
  switch (op) {
    case 'IS_NAN':
      return isNaNValue(actual);
    case 'IS_NULL':
      return actual.kind === 'null';
    case 'IS_NOT_NAN':
      return actual.kind !== 'null' && !isNaNValue(actual);
    case 'IS_NOT_NULL':
      return actual.kind !== 'null';
  }
}

function matches(query: Query, filter: Filter, document: StoredDocument): boolean {
  switch (filter.kind) {
    case 'composite':
      return filter.op === 'AND'
        ? filter.filters.every((child) => matches(query, child, document))
        : filter.filters.some((child) => matches(query, child, document));
    case 'field':
      return matchesField(filter.op, queryValue(query, document, filter.path), filter.value);
    case 'unary':
      return matchesUnary(filter.op, queryValue(query, document, filter.path));
  }
}

function compareDocuments(query: Query, a: StoredDocument, b: StoredDocument): number {
  for (const order of query.orderBy) {
    const result = isDocumentId(order.path)
      ? Math.sign(comparePaths(a.path, b.path))
      : compareValues(
          queryValue(query, a, order.path) ?? NULL_VALUE,
          queryValue(query, b, order.path) ?? NULL_VALUE,
        );
    if (result !== 0) return order.descending ? -result : result;
  }
  return 0;
}

/** Where a document lies relative to a cursor position: <0 before, 0 at, >0 after (in query order). */
function compareToCursor(query: Query, document: StoredDocument, cursor: Cursor): number {
  for (let i = 0; i < cursor.values.length; i++) {
    const order = query.orderBy[i];
    const value = cursor.values[i];
    if (!order || !value) break;
    const result = compareValues(queryValue(query, document, order.path) ?? NULL_VALUE, value);
    if (result !== 0) return order.descending ? -result : result;
  }
  return 0;
}

function withinCursors(query: Query, document: StoredDocument): boolean {
  const { startAt, endAt } = query;
  if (startAt) {
    const position = compareToCursor(query, document, startAt);
    if (startAt.before ? position < 0 : position <= 0) return false;
  }
  if (endAt) {
    const position = compareToCursor(query, document, endAt);
    if (endAt.before ? position >= 0 : position > 0) return false;
  }
  return true;
}

/**
 * Runs a query over candidate documents (already limited to the selected collections and read time):
 * filter, drop documents lacking an ordered field, sort, apply cursors, offset and limit.
 */
export function executeQuery(query: Query, candidates: Iterable<StoredDocument>): StoredDocument[] {
  const selected: StoredDocument[] = [];
  for (const document of candidates) {
    if (query.filter && !matches(query, query.filter, document)) continue;
    if (!query.orderBy.every((order) => queryValue(query, document, order.path) !== undefined)) continue;
    if (!withinCursors(query, document)) continue;
    selected.push(document);
  }
  selected.sort((a, b) => compareDocuments(query, a, b));
  const end = query.limit === undefined ? undefined : query.offset + query.limit;
  return selected.slice(query.offset, end);
}

/** The fields a query returns for a document (its `select` projection). */
export function projectResult(query: Query, document: StoredDocument): StoredDocument {
  if (!query.projection) return document;
  return { ...document, fields: projectFields(document.fields, query.projection) };
}

/** Whether a document at `path` lies in a collection the query selects (whatever its content). */
export function selectsCollectionOf(query: Query, path: ResourcePath): boolean {
  const collection = path.slice(0, -1);
  if (query.collectionId !== undefined && collection.at(-1) !== query.collectionId) return false;
  return query.allDescendants
    ? isDescendant(collection, query.parent)
    : collection.length === query.parent.length + 1 && isDescendant(collection, query.parent);
}
