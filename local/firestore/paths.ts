import { invalidArgument } from './errors';
import { compareUtf8 } from './strings';

/** A document or collection path below a database's document root, as segments. */
export type ResourcePath = readonly string[];

/** A parsed document name. */
export interface DocumentName {
  /** `projects/{project}/databases/{database}` */
  readonly database: string;
  readonly path: ResourcePath;
}

const DATABASE_PATTERN = /^projects\/[^/]+\/databases\/[^/]+$/;

/** Validates `projects/{project}/databases/{database}`. */
export function parseDatabaseName(name: string | undefined): string {
  if (!name || !DATABASE_PATTERN.test(name)) throw invalidArgument(`Invalid database name: ${name ?? ''}`);
  return name;
}

/** Splits a name under `{database}/documents` into its database and path; `expect` says which kind it must be. */
function parseUnderDocuments(name: string | undefined, expect: 'document' | 'parent'): DocumentName {
  const match = /^(projects\/[^/]+\/databases\/[^/]+)\/documents(?:\/(.*))?$/.exec(name ?? '');
  if (!match?.[1]) throw invalidArgument(`Invalid resource name: ${name ?? ''}`);
  const path = match[2] === undefined ? [] : match[2].split('/');
  if (path.some((segment) => segment === '')) throw invalidArgument(`Invalid resource name: ${name ?? ''}`);
  const isDocument = path.length > 0 && path.length % 2 === 0;
  const valid = expect === 'document' ? isDocument : path.length === 0 || isDocument;
  if (!valid) throw invalidArgument(`Invalid ${expect} name: ${name ?? ''}`);
  return { database: match[1], path };
}

/** Parses `{database}/documents/{collection}/{id}[/…]`. */
export function parseDocumentName(name: string | undefined): DocumentName {
  return parseUnderDocuments(name, 'document');
}

/** Parses a query or listing parent: the document root or a document. */
export function parseParentName(name: string | undefined): DocumentName {
  return parseUnderDocuments(name, 'parent');
}

/** Parses a document name and checks that it belongs to the database of the request. */
export function parseDocumentNameIn(database: string, name: string | undefined): ResourcePath {
  const parsed = parseDocumentName(name);
  if (parsed.database !== database) {
    throw invalidArgument(`Document ${name ?? ''} is not in database ${database}.`);
  }
  return parsed.path;
}

const NUMERIC_ID = /^__id(-?\d+)__$/;

/** Ids Firestore reserves: `__.*__`, except Datastore-style numeric ids, which Google's emulator accepts. */
const RESERVED_ID = /^__.+__$/;

/**
 * Parses the name of a document a write targets: as {@link parseDocumentNameIn}, and no collection or
 * document id on the way may match `__.*__` (Firestore's limits on ids).
 */
export function parseWrittenDocumentName(database: string, name: string | undefined): ResourcePath {
  const path = parseDocumentNameIn(database, name);
  path.forEach((segment, index) => {
    if (RESERVED_ID.test(segment) && !NUMERIC_ID.test(segment)) {
      const kind = index % 2 === 0 ? 'Collection' : 'Resource';
      throw invalidArgument(`${kind} id "${segment}" is invalid because it is reserved.`);
    }
  });
  return path;
}

/** The full resource name of a document or parent. */
export function resourceName(database: string, path: ResourcePath): string {
  return path.length === 0 ? `${database}/documents` : `${database}/documents/${path.join('/')}`;
}

/** The store key of a path: segments cannot contain '/', so joining is unambiguous. */
export function pathKey(path: ResourcePath): string {
  return path.join('/');
}

/** Whether `path` lies strictly below `ancestor`. */
export function isDescendant(path: ResourcePath, ancestor: ResourcePath): boolean {
  return path.length > ancestor.length && ancestor.every((segment, i) => path[i] === segment);
}

/** Datastore-style numeric ids (`__id42__`) sort before string ids and numerically among themselves. */
export function compareSegments(a: string, b: string): number {
  const numericA = NUMERIC_ID.exec(a)?.[1];
  const numericB = NUMERIC_ID.exec(b)?.[1];
  if (numericA !== undefined && numericB !== undefined) {
    const x = BigInt(numericA);
    const y = BigInt(numericB);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (numericA !== undefined) return -1;
  if (numericB !== undefined) return 1;
  return compareUtf8(a, b);
}

/** Orders paths segment by segment, a prefix before its extensions (Firestore's key order). */
export function comparePaths(a: ResourcePath, b: ResourcePath): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareSegments(a[i] ?? '', b[i] ?? '');
    if (order !== 0) return order;
  }
  return a.length - b.length;
}
