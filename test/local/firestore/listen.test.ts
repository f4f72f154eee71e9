import type { DocumentSnapshot, Firestore, QuerySnapshot } from '@google-cloud/firestore';
import { DATABASE, describeConformance, sleep, useFirestoreEmulator } from './emulator-fixture';
import {
  applyResponses,
  describeQuerySnapshot,
  isConsistentPoint,
  listenTo,
  openRawListen,
  type RawListen,
  type RawListenResponse,
  type Snapshots,
  versionOf,
} from './listen-support';

/** How long a test waits to be sure that no snapshot comes. */
const QUIET_MS = 500;

const ONCE =
  "Google's emulator keeps a target added with `once` after it is current (observed), where the Target reference says it is removed once current and consistent";
const DELTA =
  "Google's emulator answers a resume token with RESET and every document (observed), where the Target reference says only documents updated after the token are returned";

async function seed(db: Firestore, documents: Record<string, Record<string, unknown>>): Promise<void> {
  const batch = db.batch();
  for (const [path, data] of Object.entries(documents)) batch.set(db.doc(path), data);
  await batch.commit();
}

function documentState(snapshot: DocumentSnapshot): unknown {
  return snapshot.exists ? snapshot.data() : 'missing';
}

/** The current documents of a collection as the SDK reads them: name to update time. */
async function versions(db: Firestore, collection: string): Promise<Map<string, string>> {
  const snapshot = await db.collection(collection).get();
  return new Map(snapshot.docs.map((d) => [`${collection}/${d.id}`, versionOf(d.updateTime)]));
}

function kinds(responses: readonly RawListenResponse[]): string[] {
  return responses.map((response) => {
    if (response.targetChange) {
      const change = response.targetChange;
      return `${change.targetChangeType ?? 'NO_CHANGE'}[${change.targetIds.join(',')}]`;
    }
    if (response.documentChange)
      return `change ${response.documentChange.document.name.split('/').pop() ?? ''}`;
    if (response.documentDelete) return `delete ${response.documentDelete.document.split('/').pop() ?? ''}`;
    if (response.documentRemove) return `remove ${response.documentRemove.document.split('/').pop() ?? ''}`;
    return 'other';
  });
}

const QUERY_TARGET = (collectionId: string) => ({
  parent: `${DATABASE}/documents`,
  structuredQuery: { from: [{ collectionId }] },
});

/*
 * Listen as the Firestore documentation describes it ("Get realtime updates"): a listener gets an initial
 * snapshot, then one snapshot per change, with docChanges typed added / modified / removed; a batch or a
 * transaction is one change. The SDK raises a snapshot when the stream reaches a consistent point (a
 * NO_CHANGE for every target with a read time), so these tests see exactly what a commit makes visible.
 */
describeConformance(
  'Firestore emulator: Listen',
  (fixture, it) => {
    const streams: RawListen[] = [];
    const raw = () => {
      const stream = openRawListen(fixture.address);
      streams.push(stream);
      return stream;
    };
    const listeners: Snapshots<unknown>[] = [];
    const listen = <S>(subscribe: Parameters<typeof listenTo<S>>[0]): Snapshots<S> => {
      const snapshots = listenTo(subscribe);
      listeners.push(snapshots);
      return snapshots;
    };
    afterEach(() => {
      for (const stream of streams.splice(0)) stream.close();
      for (const snapshots of listeners.splice(0)) snapshots.stop();
    });

    it('a document snapshot follows a missing document through creation, update and deletion', async () => {
      const ref = fixture.db.doc('watched/doc');
      const snapshots = listen<DocumentSnapshot>((next, error) => ref.onSnapshot(next, error));
      expect(documentState(await snapshots.next())).toBe('missing');
      await ref.set({ n: 1 });
      expect(documentState(await snapshots.next())).toEqual({ n: 1 });
      await ref.update({ n: 2 });
      expect(documentState(await snapshots.next())).toEqual({ n: 2 });
      await ref.delete();
      expect(documentState(await snapshots.next())).toBe('missing');
    });

    it('a query snapshot reports added, modified and removed changes in query order', async () => {
      await seed(fixture.db, {
        'seats/a': { price: 50 },
        'seats/b': { price: 20 },
        'seats/x': { price: 500 },
      });
      const query = fixture.db.collection('seats').where('price', '<', 100).orderBy('price');
      const snapshots = listen<QuerySnapshot>((next, error) => query.onSnapshot(next, error));
      expect(describeQuerySnapshot(await snapshots.next())).toEqual({
        ids: ['b', 'a'],
        changes: ['added b -1->0', 'added a -1->1'],
      });
      await fixture.db.doc('seats/c').set({ price: 30 });
      expect(describeQuerySnapshot(await snapshots.next())).toEqual({
        ids: ['b', 'c', 'a'],
        changes: ['added c -1->1'],
      });
      await fixture.db.doc('seats/a').update({ price: 10 });
      expect(describeQuerySnapshot(await snapshots.next())).toEqual({
        ids: ['a', 'b', 'c'],
        changes: ['modified a 2->0'],
      });
      await fixture.db.doc('seats/b').delete();
      expect(describeQuerySnapshot(await snapshots.next())).toEqual({
        ids: ['a', 'c'],
        changes: ['removed b 1->-1'],
      });
    });

    it('a document that stops matching a query by an update leaves it, and is sent as removed', async () => {
      await seed(fixture.db, { 'seats/a': { price: 50 }, 'seats/b': { price: 20 } });
      const query = fixture.db.collection('seats').where('price', '<', 100);
      const snapshots = listen<QuerySnapshot>((next, error) => query.onSnapshot(next, error));
      const stream = raw();
      await snapshots.next();
      stream.addTarget({
        targetId: 3,
        query: {
          parent: `${DATABASE}/documents`,
          structuredQuery: {
            from: [{ collectionId: 'seats' }],
            where: {
              fieldFilter: {
                field: { fieldPath: 'price' },
                op: 'LESS_THAN',
                value: { integerValue: '100' },
              },
            },
          },
        },
      });
      await stream.untilConsistent();
      await fixture.db.doc('seats/a').update({ price: 500 });
      expect(describeQuerySnapshot(await snapshots.next())).toEqual({
        ids: ['b'],
        changes: ['removed a 0->-1'],
      });
      // The protocol says why: the document still exists, it no longer matches (no DocumentDelete; Google's
      // emulator resends the query's results after a RESET, ours sends a DocumentRemove).
      const responses = await stream.untilConsistent();
      expect(responses.some((r) => r.documentDelete)).toBe(false);
      const known = new Map([
        ['seats/a', ''],
        ['seats/b', ''],
      ]);
      expect([...applyResponses(known, responses).keys()]).toEqual(['seats/b']);
    });

    it('a limit query keeps its first documents: one entering pushes the last out, one leaving lets the next in', async () => {
      await seed(fixture.db, {
        'seats/a': { price: 10 },
        'seats/b': { price: 20 },
        'seats/c': { price: 30 },
      });
      const query = fixture.db.collection('seats').orderBy('price').limit(2);
      const snapshots = listen<QuerySnapshot>((next, error) => query.onSnapshot(next, error));
      expect(describeQuerySnapshot(await snapshots.next()).ids).toEqual(['a', 'b']);
      await fixture.db.doc('seats/z').set({ price: 5 });
      expect(describeQuerySnapshot(await snapshots.next())).toEqual({
        ids: ['z', 'a'],
        changes: ['removed b 1->-1', 'added z -1->0'],
      });
      await fixture.db.doc('seats/a').delete();
      expect(describeQuerySnapshot(await snapshots.next())).toEqual({
        ids: ['z', 'b'],
        changes: ['removed a 1->-1', 'added b -1->1'],
      });
      // A change beyond the limit is no change of the results.
      await fixture.db.doc('seats/c').update({ price: 40 });
      await sleep(QUIET_MS);
      expect(snapshots.pending()).toEqual([]);
    });

    it('a batch of two writes and a transaction of two writes each arrive in one snapshot', async () => {
      const query = fixture.db.collection('seats');
      const snapshots = listen<QuerySnapshot>((next, error) => query.onSnapshot(next, error));
      expect(describeQuerySnapshot(await snapshots.next()).ids).toEqual([]);
      await seed(fixture.db, { 'seats/a': { n: 1 }, 'seats/b': { n: 1 } });
      expect(describeQuerySnapshot(await snapshots.next()).changes).toEqual([
        'added a -1->0',
        'added b -1->1',
      ]);
      await fixture.db.runTransaction(async (transaction) => {
        const [a, b] = await transaction.getAll(fixture.db.doc('seats/a'), fixture.db.doc('seats/b'));
        transaction.update(fixture.db.doc('seats/a'), { n: Number(a?.get('n')) + 1 });
        transaction.update(fixture.db.doc('seats/b'), { n: Number(b?.get('n')) + 1 });
      });
      const snapshot = await snapshots.next();
      expect(describeQuerySnapshot(snapshot).changes).toEqual(['modified a 0->0', 'modified b 1->1']);
      expect(snapshot.docs.map((d) => d.get('n'))).toEqual([2, 2]);
      await sleep(QUIET_MS);
      expect(snapshots.pending()).toEqual([]);
    });

    it('a collection-group query sees matching documents in every collection of that id', async () => {
      await seed(fixture.db, {
        'events/e1/seats/a': { free: true },
        'events/e2/seats/b': { free: false },
        'seats/c': { free: true },
        'events/e1/rows/d': { free: true },
      });
      const query = fixture.db.collectionGroup('seats').where('free', '==', true);
      const snapshots = listen<QuerySnapshot>((next, error) => query.onSnapshot(next, error));
      expect((await snapshots.next()).docs.map((d) => d.ref.path)).toEqual(['events/e1/seats/a', 'seats/c']);
      await fixture.db.doc('events/e2/seats/b').update({ free: true });
      expect((await snapshots.next()).docs.map((d) => d.ref.path)).toEqual([
        'events/e1/seats/a',
        'events/e2/seats/b',
        'seats/c',
      ]);
    });

    it('after unsubscribe a listener gets no more snapshots, and its client can terminate', async () => {
      const db = fixture.client();
      const ref = db.doc('watched/doc');
      const snapshots = listen<DocumentSnapshot>((next, error) => ref.onSnapshot(next, error));
      expect(documentState(await snapshots.next())).toBe('missing');
      snapshots.stop();
      await fixture.db.doc('watched/doc').set({ n: 1 });
      await sleep(QUIET_MS);
      expect(snapshots.pending()).toEqual([]);
      // terminate() refuses while a listener is registered.
      await expect(db.terminate()).resolves.toBeUndefined();
    });

    it('two listeners on the same document both see every change', async () => {
      const ref = fixture.db.doc('watched/doc');
      const first = listen<DocumentSnapshot>((next, error) => ref.onSnapshot(next, error));
      const second = listen<DocumentSnapshot>((next, error) =>
        fixture.client().doc('watched/doc').onSnapshot(next, error),
      );
      expect(documentState(await first.next())).toBe('missing');
      expect(documentState(await second.next())).toBe('missing');
      await ref.set({ n: 1 });
      await ref.update({ n: 2 });
      expect([documentState(await first.next()), documentState(await first.next())]).toEqual([
        { n: 1 },
        { n: 2 },
      ]);
      expect([documentState(await second.next()), documentState(await second.next())]).toEqual([
        { n: 1 },
        { n: 2 },
      ]);
    });

    it('a client preferring REST listens too (the SDK opens Listen over gRPC on the same port)', async () => {
      const db = fixture.client({
        preferRest: true,
        // preferRest asks for credentials even against an emulator (googleapis/nodejs-firestore#1811).
        // and its gRPC channel for Listen asks the same auth client for its universe domain.
        auth: {
          getRequestHeaders: async () => ({ Authorization: 'Bearer owner' }),
          getUniverseDomain: async () => 'googleapis.com',
        },
      });
      const snapshots = listen<DocumentSnapshot>((next, error) =>
        db.doc('watched/doc').onSnapshot(next, error),
      );
      expect(documentState(await snapshots.next())).toBe('missing');
      await db.doc('watched/doc').set({ n: 1 });
      expect(documentState(await snapshots.next())).toEqual({ n: 1 });
    });

    it('a target is answered with ADD, its documents (a missing one deleted), CURRENT with a resume token, then a consistent NO_CHANGE', async () => {
      await seed(fixture.db, { 'seats/a': { n: 1 } });
      const stream = raw();
      stream.addTarget({
        targetId: 5,
        documents: { documents: [`${DATABASE}/documents/seats/a`, `${DATABASE}/documents/seats/none`] },
      });
      const responses = await stream.untilConsistent();
      expect(kinds(responses)).toEqual(['ADD[5]', 'change a', 'delete none', 'CURRENT[5]', 'NO_CHANGE[]']);
      expect(responses[3]?.targetChange?.resumeToken?.length).toBeGreaterThan(0);
      expect(responses[4]?.targetChange?.resumeToken?.length).toBeGreaterThan(0);
    });

    it('RemoveTarget is answered with REMOVE and ends the changes of that target', async () => {
      const stream = raw();
      stream.addTarget({ targetId: 2, query: QUERY_TARGET('seats') });
      stream.addTarget({ targetId: 3, documents: { documents: [`${DATABASE}/documents/seats/a`] } });
      stream.removeTarget(2);
      const removed = (response: RawListenResponse) => response.targetChange?.targetChangeType === 'REMOVE';
      const untilRemoved: RawListenResponse[] = [];
      while (!untilRemoved.some(removed)) untilRemoved.push(await stream.next());
      expect(kinds(untilRemoved.filter(removed))).toEqual(['REMOVE[2]']);
      await fixture.db.doc('seats/a').set({ n: 1 });
      // Target 3's first answer may still be on its way: read on until the write shows.
      const responses: RawListenResponse[] = [];
      while (!responses.some((r) => r.documentChange)) responses.push(...(await stream.untilConsistent()));
      expect(responses.filter((r) => r.documentChange).map((r) => r.documentChange?.targetIds)).toEqual([
        [3],
      ]);
    });

    it('a stream resumed with a resume token brings the client up to date', async () => {
      await seed(fixture.db, { 'seats/a': { n: 1 }, 'seats/b': { n: 1 }, 'seats/c': { n: 1 } });
      const first = raw();
      first.addTarget({ targetId: 1, query: QUERY_TARGET('seats') });
      const initial = await first.untilConsistent();
      const token = initial.filter(isConsistentPoint).at(-1)?.targetChange?.resumeToken;
      const known = applyResponses(new Map(), initial);
      first.close();
      await fixture.db.doc('seats/a').update({ n: 2 });
      await fixture.db.doc('seats/b').delete();
      await fixture.db.doc('seats/d').set({ n: 1 });
      const resumed = raw();
      resumed.addTarget({ targetId: 1, query: QUERY_TARGET('seats'), resumeToken: token });
      expect(applyResponses(known, await resumed.untilConsistent())).toEqual(
        await versions(fixture.db, 'seats'),
      );
    });

    it('a stream resumed with a resume token gets only the documents changed since', async () => {
      await seed(fixture.db, { 'seats/a': { n: 1 }, 'seats/b': { n: 1 }, 'seats/c': { n: 1 } });
      const first = raw();
      first.addTarget({ targetId: 1, query: QUERY_TARGET('seats') });
      const token = (await first.untilConsistent()).filter(isConsistentPoint).at(-1)
        ?.targetChange?.resumeToken;
      first.close();
      await fixture.db.doc('seats/a').update({ n: 2 });
      await fixture.db.doc('seats/b').delete();
      const resumed = raw();
      resumed.addTarget({ targetId: 1, query: QUERY_TARGET('seats'), resumeToken: token });
      expect(kinds(await resumed.untilConsistent())).toEqual([
        'ADD[1]',
        'change a',
        'delete b',
        'CURRENT[1]',
        'NO_CHANGE[]',
      ]);
    });

    it('a target added with once is removed after it is current', async () => {
      await seed(fixture.db, { 'seats/a': { n: 1 } });
      const stream = raw();
      stream.addTarget({ targetId: 4, once: true, query: QUERY_TARGET('seats') });
      expect(kinds(await stream.untilConsistent())).toEqual([
        'ADD[4]',
        'change a',
        'CURRENT[4]',
        'NO_CHANGE[]',
      ]);
      await fixture.db.doc('seats/a').update({ n: 2 });
      // REMOVE comes right after the consistent point; the update is not sent.
      await fixture.db.doc('seats/b').set({ n: 1 });
      await sleep(QUIET_MS);
      stream.addTarget({ targetId: 5, documents: { documents: [] } });
      expect(kinds(await stream.untilConsistent())).toEqual([
        'REMOVE[4]',
        'ADD[5]',
        'CURRENT[5]',
        'NO_CHANGE[]',
      ]);
    });
  },
  {
    notOnGoogle: {
      'a stream resumed with a resume token gets only the documents changed since': DELTA,
      'a target added with once is removed after it is current': ONCE,
    },
  },
);

/*
 * On our emulator alone: the reset is its own admin RPC, and production's answer to an invalid target is not
 * documented while Google's emulator runs a query without a collection over the whole database; ours
 * refuses it like RunQuery, in the one form the SDK hands to onSnapshot's error callback (decision 250).
 */
describe('Firestore emulator: Listen, invalid targets and resets', () => {
  const fixture = useFirestoreEmulator();

  it('a reset deletes what a listener sees, and a resume token from before it answers with RESET', async () => {
    await seed(fixture.db, { 'seats/a': { n: 1 } });
    const query = fixture.db.collection('seats');
    const snapshots = listenTo<QuerySnapshot>((next, error) => query.onSnapshot(next, error));
    const stream = openRawListen(fixture.address);
    try {
      expect(describeQuerySnapshot(await snapshots.next()).ids).toEqual(['a']);
      stream.addTarget({ targetId: 1, query: QUERY_TARGET('seats') });
      const token = (await stream.untilConsistent()).at(-1)?.targetChange?.resumeToken;
      fixture.emulator.reset();
      expect(describeQuerySnapshot(await snapshots.next()).changes).toEqual(['removed a 0->-1']);
      await fixture.db.doc('seats/b').set({ n: 1 });
      expect(describeQuerySnapshot(await snapshots.next()).ids).toEqual(['b']);
      stream.addTarget({ targetId: 2, query: QUERY_TARGET('seats'), resumeToken: token });
      const responses: RawListenResponse[] = [];
      while (
        !responses.some(
          (r) => r.targetChange?.targetIds.includes(2) && r.targetChange.targetChangeType === 'CURRENT',
        )
      ) {
        responses.push(...(await stream.untilConsistent()));
      }
      expect(
        kinds(
          responses.filter(
            (r) => r.targetChange?.targetIds.includes(2) || r.documentChange?.targetIds.includes(2),
          ),
        ),
      ).toEqual(['ADD[2]', 'RESET[2]', 'change b', 'CURRENT[2]']);
    } finally {
      snapshots.stop();
      stream.close();
    }
  });

  it('an invalid target, a clashing id or an unknown RemoveTarget is answered by REMOVE with an INVALID_ARGUMENT cause', async () => {
    const stream = openRawListen(fixture.address);
    try {
      stream.addTarget({
        targetId: 6,
        query: { parent: `${DATABASE}/documents`, structuredQuery: { from: [] } },
      });
      expect((await stream.next()).targetChange).toMatchObject({
        targetChangeType: 'REMOVE',
        targetIds: [6],
        cause: { code: 3, message: 'A query must select exactly one collection.' },
      });
      stream.addTarget({
        targetId: 7,
        documents: { documents: ['projects/other/databases/(default)/documents/a/b'] },
      });
      expect((await stream.next()).targetChange).toMatchObject({
        targetChangeType: 'REMOVE',
        targetIds: [7],
        cause: { code: 3 },
      });
      // A clashing id ends the target that held it too: a write to its document reaches no one.
      stream.addTarget({ targetId: 8, documents: { documents: [`${DATABASE}/documents/seats/a`] } });
      await stream.untilConsistent();
      stream.addTarget({ targetId: 8, query: QUERY_TARGET('seats') });
      expect((await stream.next()).targetChange).toMatchObject({
        targetChangeType: 'REMOVE',
        targetIds: [8],
        cause: { code: 3, message: 'Target id 8 is already in use.' },
      });
      stream.removeTarget(9);
      expect((await stream.next()).targetChange).toMatchObject({
        targetChangeType: 'REMOVE',
        targetIds: [9],
        cause: { code: 3, message: 'No target 9 on this stream.' },
      });
      await fixture.db.doc('seats/a').set({ n: 1 });
      stream.addTarget({ targetId: 10, documents: { documents: [] } });
      expect(kinds(await stream.untilConsistent())).toEqual(['ADD[10]', 'CURRENT[10]', 'NO_CHANGE[]']);
    } finally {
      stream.close();
    }
  });
});
