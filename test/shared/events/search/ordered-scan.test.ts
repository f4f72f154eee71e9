import fc from 'fast-check';
import { scanInOrder, type PagedSource } from '../../../../shared/events/search/ordered-scan';
import { comparePositions, type SearchPosition } from '../../../../shared/events/search/position';

interface Item {
  readonly position: SearchPosition;
  /** Dropped by the cheap per-item filter. */
  readonly rejectedEarly: boolean;
  /** Dropped by the costly batch check. */
  readonly rejectedLate: boolean;
}

/** An in-memory query: items after a position, in order, counting what it is asked for. */
function sourceOf(items: readonly Item[]): PagedSource<Item> & { reads: number } {
  const sorted = [...items].sort((a, b) => comparePositions(a.position, b.position));
  const source = {
    reads: 0,
    fetch: async (after: SearchPosition | undefined, limit: number) => {
      const page = sorted
        .filter((item) => after === undefined || comparePositions(item.position, after) > 0)
        .slice(0, limit);
      source.reads += Math.max(page.length, 1);
      return page;
    },
  };
  return source;
}

const item: fc.Arbitrary<Item> = fc.record({
  position: fc.record({
    startsAtMillis: fc.integer({ min: 0, max: 40 }),
    id: fc.stringMatching(/^[A-Za-z0-9]{1,4}$/),
  }),
  rejectedEarly: fc.boolean(),
  rejectedLate: fc.boolean(),
});

/** Items with distinct positions, dealt to `sourceCount` sources. */
const scenario = fc.record({
  items: fc.uniqueArray(item, {
    selector: (it) => `${it.position.startsAtMillis}/${it.position.id}`,
    maxLength: 120,
  }),
  sourceCount: fc.integer({ min: 1, max: 9 }),
  limit: fc.integer({ min: 1, max: 12 }),
  maxDocumentReads: fc.integer({ min: 9, max: 40 }),
  maxResolved: fc.integer({ min: 1, max: 15 }),
  deal: fc.infiniteStream(fc.nat()),
});

describe('scanInOrder', () => {
  it('pages through every match exactly once, in order, within its budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        async ({ items, sourceCount, limit, maxDocumentReads, maxResolved, deal }) => {
          const dealt = items.map((it) => ({ it, source: deal.next().value % sourceCount }));
          const sources = Array.from({ length: sourceCount }, (_, index) =>
            sourceOf(dealt.filter((entry) => entry.source === index).map((entry) => entry.it)),
          );
          const expected = items
            .filter((it) => !it.rejectedEarly && !it.rejectedLate)
            .sort((a, b) => comparePositions(a.position, b.position));

          const seen: Item[] = [];
          let after: SearchPosition | undefined;
          for (let page = 0; page < 1000; page++) {
            const readsBefore = sources.reduce((sum, source) => sum + source.reads, 0);
            const result = await scanInOrder({
              sources,
              positionOf: (it) => it.position,
              after,
              limit,
              budget: { maxDocumentReads, maxResolved },
              prefilter: (it) => !it.rejectedEarly,
              resolve: async (candidates) => {
                expect(candidates.length).toBeLessThanOrEqual(maxResolved);
                return candidates.map((it) => (it.rejectedLate ? null : it));
              },
            });
            const readsAfter = sources.reduce((sum, source) => sum + source.reads, 0);
            expect(result.documentsRead).toBe(readsAfter - readsBefore);
            expect(result.documentsRead).toBeLessThanOrEqual(maxDocumentReads);
            expect(result.resolved).toBeLessThanOrEqual(maxResolved);
            expect(result.matches.length).toBeLessThanOrEqual(limit);
            seen.push(...result.matches);
            if (result.resumeAfter === undefined) break;
            if (after !== undefined) expect(comparePositions(result.resumeAfter, after)).toBeGreaterThan(0);
            after = result.resumeAfter;
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ends with no cursor when the last match fills the page exactly and nothing follows', async () => {
    const items = [1, 2, 3].map((n) => ({
      position: { startsAtMillis: n, id: 'a' },
      rejectedEarly: false,
      rejectedLate: false,
    }));
    const result = await scanInOrder({
      sources: [sourceOf(items)],
      positionOf: (it) => it.position,
      after: undefined,
      limit: 3,
      budget: { maxDocumentReads: 100, maxResolved: 100 },
      prefilter: () => true,
      resolve: async (candidates) => candidates,
    });
    expect(result.matches).toHaveLength(3);
    expect(result.resumeAfter).toBeUndefined();
    expect(result.documentsRead).toBe(3);
  });

  it('stops at the read budget and resumes right after the last item it decided on', async () => {
    const items = Array.from({ length: 50 }, (_, n) => ({
      position: { startsAtMillis: n, id: 'a' },
      rejectedEarly: true,
      rejectedLate: false,
    }));
    const result = await scanInOrder({
      sources: [sourceOf(items)],
      positionOf: (it) => it.position,
      after: undefined,
      limit: 5,
      budget: { maxDocumentReads: 20, maxResolved: 100 },
      prefilter: (it) => !it.rejectedEarly,
      resolve: async (candidates) => candidates,
    });
    expect(result.matches).toEqual([]);
    expect(result.documentsRead).toBeLessThanOrEqual(20);
    expect(result.resumeAfter).toEqual({ startsAtMillis: result.documentsRead - 1, id: 'a' });
  });
});
