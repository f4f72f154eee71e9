import { DATABASE, describeConformance } from './emulator-fixture';

const NO_EXPLAIN_ON_GOOGLE =
  "Google's emulator ignores explain_options and sends no explain metrics (the SDK then fails with 'No explain results'); production answers them (cloud.google.com/firestore/docs/query-explain)";

const PLAN = 'explain() answers the plan, naming the index of the complete ordering, and no results';
const ANALYZE = 'explain({ analyze: true }) answers the results and their execution statistics';
const AGGREGATION = 'an aggregation explains its plan, and with analyze its result and statistics';

// Query Explain, as documented in https://cloud.google.com/firestore/docs/query-explain.
describeConformance(
  'Firestore emulator: query explain',
  (fixture, it) => {
    beforeEach(async () => {
      const rooms = fixture.db.collection('rooms');
      await Promise.all([
        rooms.doc('a').set({ seats: 10 }),
        rooms.doc('b').set({ seats: 50 }),
        rooms.doc('c').set({ seats: 90 }),
      ]);
    });

    it('a query without explain_options answers its results and no explain metrics', async () => {
      const responses = (await fixture.raw.stream('RunQuery', {
        parent: `${DATABASE}/documents`,
        structuredQuery: { from: [{ collectionId: 'rooms' }] },
      })) as { document?: object; explainMetrics?: object }[];
      expect(responses.filter((response) => response.document)).toHaveLength(3);
      expect(responses.some((response) => response.explainMetrics)).toBe(false);
    });

    it(PLAN, async () => {
      const query = fixture.db.collection('rooms').where('seats', '>', 20);
      const { metrics, snapshot } = await query.explain();
      expect(snapshot).toBeNull();
      expect(metrics.executionStats).toBeNull();
      expect(metrics.planSummary.indexesUsed).toEqual([
        { query_scope: 'Collection', properties: '(seats ASC, __name__ ASC)' },
      ]);
      const descending = await fixture.db.collectionGroup('rooms').orderBy('seats', 'desc').explain();
      expect(descending.metrics.planSummary.indexesUsed).toEqual([
        { query_scope: 'Collection group', properties: '(seats DESC, __name__ DESC)' },
      ]);
    });

    it(ANALYZE, async () => {
      const query = fixture.db.collection('rooms').where('seats', '>', 20).orderBy('seats', 'desc');
      const { metrics, snapshot } = await query.explain({ analyze: true });
      expect(snapshot?.docs.map((doc) => doc.id)).toEqual(['c', 'b']);
      expect(metrics.executionStats).toMatchObject({
        resultsReturned: 2,
        readOperations: 2,
        debugStats: { index_entries_scanned: '2', documents_scanned: '2' },
      });
      expect(metrics.executionStats?.executionDuration.seconds).toBeGreaterThanOrEqual(0);

      const empty = await fixture.db.collection('rooms').where('seats', '>', 1000).explain({ analyze: true });
      expect(empty.snapshot?.empty).toBe(true);
      // A query is billed one read even when it returns nothing.
      expect(empty.metrics.executionStats).toMatchObject({ resultsReturned: 0, readOperations: 1 });
    });

    it(AGGREGATION, async () => {
      const count = fixture.db.collection('rooms').where('seats', '>', 20).count();
      const plan = await count.explain();
      expect(plan.snapshot).toBeNull();
      expect(plan.metrics.planSummary.indexesUsed).toEqual([
        { query_scope: 'Collection', properties: '(seats ASC, __name__ ASC)' },
      ]);
      const analyzed = await count.explain({ analyze: true });
      expect(analyzed.snapshot?.data()).toEqual({ count: 2 });
      expect(analyzed.metrics.executionStats).toMatchObject({
        resultsReturned: 1,
        readOperations: 1,
        debugStats: { index_entries_scanned: '2', documents_scanned: '0' },
      });
    });
  },
  {
    notOnGoogle: {
      [PLAN]: NO_EXPLAIN_ON_GOOGLE,
      [ANALYZE]: NO_EXPLAIN_ON_GOOGLE,
      [AGGREGATION]: NO_EXPLAIN_ON_GOOGLE,
    },
  },
);
