import type { Micros } from './clock';
import { invalidArgument } from './errors';
import { parseDocumentNameIn, parseParentName, type ResourcePath, resourceName } from './paths';
import { executeQuery, parseQuery, projectResult, type Query, selectsCollectionOf } from './query';
import type { DatabaseStore, StoredDocument } from './store';
import type { WireTarget } from './wire';

/** What a Listen target watches: named documents, or the results of a query. */
export type TargetSpec =
  | { readonly kind: 'documents'; readonly paths: ReadonlyMap<string, ResourcePath> }
  | { readonly kind: 'query'; readonly query: Query };

/** The documents a target matches, by full document name (as a query returns them: projected). */
export type TargetResults = ReadonlyMap<string, StoredDocument>;

/** One document a commit changed, with its state after the commit (undefined when deleted). */
export interface CommittedChange {
  readonly name: string;
  readonly path: ResourcePath;
  readonly document: StoredDocument | undefined;
}

/** How a target's results moved between two snapshots. */
export interface TargetDiff {
  /** Documents that entered the results or changed in them, in their new state. */
  readonly changed: readonly StoredDocument[];
  /** Documents that left the results, in their last state within them. */
  readonly gone: readonly StoredDocument[];
}

/** Validates a Listen target of `database` (duplicate document names count once). */
export function parseTarget(database: string, wire: WireTarget): TargetSpec {
  switch (wire.targetType) {
    case 'documents': {
      const paths = new Map<string, ResourcePath>();
      for (const name of wire.documents?.documents ?? []) {
        const path = parseDocumentNameIn(database, name);
        paths.set(resourceName(database, path), path);
      }
      return { kind: 'documents', paths };
    }
    case 'query': {
      const parent = parseParentName(wire.query?.parent);
      if (parent.database !== database) {
        throw invalidArgument(`Query parent ${wire.query?.parent ?? ''} is not in database ${database}.`);
      }
      return { kind: 'query', query: parseQuery(database, parent.path, wire.query?.structuredQuery) };
    }
    default:
      throw invalidArgument('A target must be a query or a set of documents.');
  }
}

/** The target's results as of `readTime` (the latest data when undefined). */
export function targetResults(
  spec: TargetSpec,
  store: DatabaseStore,
  readTime: Micros | undefined,
  now: Micros,
): TargetResults {
  const results = new Map<string, StoredDocument>();
  if (spec.kind === 'documents') {
    for (const [name, path] of spec.paths) {
      const document = store.get(path, readTime);
      if (document) results.set(name, document);
    }
    return results;
  }
  const { query } = spec;
  const candidates = store.documents(query.parent, query.collectionId, query.allDescendants, readTime, now);
  for (const document of executeQuery(query, candidates)) {
    results.set(resourceName(query.database, document.path), projectResult(query, document));
  }
  return results;
}

function concerns(spec: TargetSpec, change: CommittedChange): boolean {
  return spec.kind === 'documents'
    ? spec.paths.has(change.name)
    : selectsCollectionOf(spec.query, change.path);
}

/** The state a changed document has in the target's results: undefined when it is not among them. */
function resultOf(spec: TargetSpec, document: StoredDocument | undefined): StoredDocument | undefined {
  if (!document || spec.kind === 'documents') return document;
  const [matched] = executeQuery(spec.query, [document]);
  return matched && projectResult(spec.query, matched);
}

/**
 * The target's results once a commit's changes are installed, or undefined when the commit cannot have
 * changed them. Membership of a document in a query without limit or offset depends on that document
 * alone, so only the changed documents are evaluated; with a limit or an offset one document entering
 * can push another out, so the query runs again.
 */
export function resultsAfterCommit(
  spec: TargetSpec,
  previous: TargetResults,
  changes: readonly CommittedChange[],
  store: DatabaseStore,
  now: Micros,
): TargetResults | undefined {
  const relevant = changes.filter((change) => concerns(spec, change));
  if (relevant.length === 0) return undefined;
  if (spec.kind === 'query' && (spec.query.limit !== undefined || spec.query.offset > 0)) {
    return targetResults(spec, store, undefined, now);
  }
  const next = new Map(previous);
  for (const change of relevant) {
    const result = resultOf(spec, change.document);
    if (result) next.set(change.name, result);
    else next.delete(change.name);
  }
  return next;
}

/** What changed from `previous` to `next`; a document whose update time is the same did not change. */
export function diffResults(previous: TargetResults, next: TargetResults): TargetDiff {
  const changed = [...next].filter(
    ([name, document]) => previous.get(name)?.updateTime !== document.updateTime,
  );
  const gone = [...previous].filter(([name]) => !next.has(name));
  return { changed: changed.map(([, document]) => document), gone: gone.map(([, document]) => document) };
}
