import { randomBytes } from 'node:crypto';
import { DATABASE, describeConformance } from './emulator-fixture';

/*
 * Firestore answers a streaming call with response headers first, also when the call then fails (observed
 * by the gax-dotnet maintainers, googleapis/gax-dotnet#367). The Node.js client libraries depend on it: an
 * error without headers looks like an unreachable server, and google-gax retries it twice, 2-3 s and 4-5 s
 * later, before the caller sees it. An emulator answering errors without headers turned every lost lock
 * conflict of a transactional read into seconds of silence.
 */
const HEADERS_FIRST =
  "Google's emulator answers a failing streaming call without headers (trailers only), unlike production (googleapis/gax-dotnet#367)";

describeConformance(
  'Firestore emulator: streaming calls',
  (fixture, it) => {
    it('a failing BatchGetDocuments sends its response headers before the error', async () => {
      const events = await fixture.raw.streamEvents('BatchGetDocuments', {
        database: DATABASE,
        documents: [`${DATABASE}/documents/seats/a1`],
        transaction: randomBytes(16),
      });
      expect(events).toEqual(['metadata', 'error']);
    });

    it('a successful BatchGetDocuments sends headers, then the document', async () => {
      await fixture.db.doc('seats/a1').set({ free: true });
      const events = await fixture.raw.streamEvents('BatchGetDocuments', {
        database: DATABASE,
        documents: [`${DATABASE}/documents/seats/a1`],
      });
      expect(events).toEqual(['metadata', 'data']);
    });

    it('a failing RunQuery sends its response headers before the error', async () => {
      const events = await fixture.raw.streamEvents('RunQuery', {
        parent: `${DATABASE}/documents`,
        structuredQuery: { from: [{ collectionId: 'seats' }] },
        transaction: randomBytes(16),
      });
      expect(events).toEqual(['metadata', 'error']);
    });
  },
  {
    notOnGoogle: {
      'a failing BatchGetDocuments sends its response headers before the error': HEADERS_FIRST,
      'a failing RunQuery sends its response headers before the error': HEADERS_FIRST,
    },
  },
);
