import { randomUUID } from 'node:crypto';
import { coalescingReads } from '../../../shared/firebase/coalesced-reads';
import { adminFirestore } from '../../support/firestore-admin';

const db = adminFirestore();

describe('coalescingReads', () => {
  it('sends the document reads of one turn as one getAll and hands each caller its own snapshot', async () => {
    const collection = db.collection(`coalesced-${randomUUID()}`);
    await collection.doc('a').set({ value: 1 });
    await collection.doc('b').set({ value: 2 });
    const result = await db.runTransaction(async (tx) => {
      const getAll = jest.spyOn(tx, 'getAll');
      const reads = coalescingReads(tx);
      const [a, b, missing] = await Promise.all([
        reads.get(collection.doc('a')),
        reads.get(collection.doc('b')),
        reads.get(collection.doc('none')),
      ]);
      const later = await reads.get(collection.doc('a'));
      reads.set(collection.doc('c'), { value: a.get('value') + b.get('value') });
      return { values: [a.get('value'), b.get('value'), missing.exists, later.get('value')], getAll };
    });
    expect(result.values).toEqual([1, 2, false, 1]);
    expect(result.getAll.mock.calls.map((call) => call.length)).toEqual([3, 1]);
    expect((await collection.doc('c').get()).get('value')).toBe(3);
  });

  it('passes queries through to the transaction', async () => {
    const collection = db.collection(`coalesced-${randomUUID()}`);
    await collection.doc('a').set({ value: 1 });
    const size = await db.runTransaction(async (tx) => (await coalescingReads(tx).get(collection)).size);
    expect(size).toBe(1);
  });
});
