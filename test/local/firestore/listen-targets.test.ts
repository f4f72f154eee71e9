import {
  type CommittedChange,
  diffResults,
  parseTarget,
  resultsAfterCommit,
  type TargetSpec,
  targetResults,
} from '../../../local/firestore/listen-targets';
import { type ResourcePath, resourceName } from '../../../local/firestore/paths';
import { DatabaseStore, type StoredDocument } from '../../../local/firestore/store';

const DATABASE = 'projects/p/databases/(default)';

function document(path: ResourcePath, n: number, time: bigint): StoredDocument {
  return {
    path,
    fields: new Map([['n', { kind: 'integer', value: BigInt(n) }]]),
    createTime: time,
    updateTime: time,
  };
}

/** Writes documents (n, or undefined to delete) at `time`, returning them as a commit's changes. */
function commit(
  store: DatabaseStore,
  time: bigint,
  writes: Record<string, number | undefined>,
): CommittedChange[] {
  return Object.entries(writes).map(([key, n]) => {
    const path = key.split('/');
    const written = n === undefined ? undefined : document(path, n, time);
    store.install(path, written, time);
    return { name: resourceName(DATABASE, path), path, document: written };
  });
}

function query(structuredQuery: object): TargetSpec {
  return parseTarget(DATABASE, {
    targetType: 'query',
    query: { parent: `${DATABASE}/documents`, structuredQuery },
  });
}

const lessThan = (n: number) => ({
  filterType: 'fieldFilter',
  fieldFilter: {
    field: { fieldPath: 'n' },
    op: 'LESS_THAN',
    value: { valueType: 'integerValue', integerValue: String(n) },
  },
});

function ids(results: ReadonlyMap<string, StoredDocument>): string[] {
  return [...results.values()].map((d) => d.path.join('/')).sort();
}

const NOW = 1_000_000_000n;

describe('Listen targets', () => {
  it('a commit outside the target changes nothing; one inside updates only the changed documents', () => {
    const store = new DatabaseStore();
    commit(store, NOW, { 'seats/a': 1, 'seats/b': 7 });
    const spec = query({ from: [{ collectionId: 'seats' }], where: lessThan(5) });
    const before = targetResults(spec, store, undefined, NOW);
    expect(ids(before)).toEqual(['seats/a']);

    const elsewhere = commit(store, NOW + 1n, { 'rows/a': 1, 'events/e/seats/c': 1 });
    expect(resultsAfterCommit(spec, before, elsewhere, store, NOW + 1n)).toBeUndefined();

    const after = resultsAfterCommit(
      spec,
      before,
      commit(store, NOW + 2n, { 'seats/a': 9, 'seats/b': 2 }),
      store,
      NOW + 2n,
    );
    expect(ids(after ?? new Map())).toEqual(['seats/b']);
    const diff = diffResults(before, after ?? new Map());
    expect(diff.changed.map((d) => d.path.join('/'))).toEqual(['seats/b']);
    expect(diff.gone.map((d) => d.path.join('/'))).toEqual(['seats/a']);
  });

  it('a limit query runs again, so the next document moves up when one leaves', () => {
    const store = new DatabaseStore();
    commit(store, NOW, { 'seats/a': 1, 'seats/b': 2, 'seats/c': 3 });
    const spec = query({
      from: [{ collectionId: 'seats' }],
      orderBy: [{ field: { fieldPath: 'n' } }],
      limit: { value: 2 },
    });
    const before = targetResults(spec, store, undefined, NOW);
    const after = resultsAfterCommit(
      spec,
      before,
      commit(store, NOW + 1n, { 'seats/a': undefined }),
      store,
      NOW + 1n,
    );
    expect(ids(after ?? new Map())).toEqual(['seats/b', 'seats/c']);
  });

  it('a document target follows its documents only, and reads past states for a resume', () => {
    const store = new DatabaseStore();
    commit(store, NOW, { 'seats/a': 1 });
    const spec = parseTarget(DATABASE, {
      targetType: 'documents',
      documents: { documents: [`${DATABASE}/documents/seats/a`, `${DATABASE}/documents/seats/a`] },
    });
    expect(
      resultsAfterCommit(spec, new Map(), commit(store, NOW + 1n, { 'seats/b': 1 }), store, NOW + 1n),
    ).toBeUndefined();
    commit(store, NOW + 2n, { 'seats/a': 2 });
    const then = targetResults(spec, store, NOW, NOW + 2n);
    const now = targetResults(spec, store, undefined, NOW + 2n);
    expect(diffResults(then, now).changed.map((d) => d.updateTime)).toEqual([NOW + 2n]);
    expect(diffResults(now, now)).toEqual({ changed: [], gone: [] });
  });

  it('refuses a target that is neither a query nor documents, or names another database', () => {
    expect(() => parseTarget(DATABASE, {})).toThrow('A target must be a query or a set of documents.');
    expect(() =>
      parseTarget(DATABASE, {
        targetType: 'documents',
        documents: { documents: ['projects/q/databases/(default)/documents/a/b'] },
      }),
    ).toThrow(/is not in database/);
  });
});
