import { status } from '@grpc/grpc-js';
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { describeConformance, grpcCode, useFirestoreEmulator } from './emulator-fixture';

class SoldOut extends Error {}

/** The ticketing read-modify-write: refuse to go below zero. */
async function decrementStock(db: Firestore, path: string): Promise<void> {
  await db.runTransaction(async (transaction) => {
    const snapshot = await transaction.get(db.doc(path));
    const stock = snapshot.get('stock') as number;
    if (stock <= 0) throw new SoldOut('sold out');
    transaction.update(db.doc(path), { stock: stock - 1 });
  });
}

describeConformance('Firestore emulator: contention', (fixture, it) => {
  it('50 concurrent read-modify-write transactions on one document lose no update and never oversell', async () => {
    const db = fixture.db;
    await db.doc('events/hot').set({ stock: 20 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => decrementStock(db, 'events/hot')),
    );
    const successes = outcomes.filter((o) => o.status === 'fulfilled').length;
    const final = (await db.doc('events/hot').get()).get('stock') as number;
    expect(successes + final).toBe(20);
    expect(final).toBeGreaterThanOrEqual(0);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      const reason: unknown = outcome.reason;
      const isContention = grpcCode(reason) === status.ABORTED;
      expect(reason instanceof SoldOut || isContention).toBe(true);
    }
  });

  it('3 concurrent read-modify-write transactions on one document all commit within the default retries', async () => {
    const db = fixture.db;
    const ref = db.doc('counters/shared');
    await ref.set({ n: 0 });
    const increment = () =>
      db.runTransaction(async (transaction) => {
        const snapshot = await transaction.get(ref);
        transaction.update(ref, { n: (snapshot.get('n') as number) + 1 });
      });
    await Promise.all([increment(), increment(), increment()]);
    expect((await ref.get()).get('n')).toBe(3);
  });

  it('50 concurrent FieldValue.increment(1) writes add exactly 50', async () => {
    const ref = fixture.db.doc('counters/increments');
    await ref.set({ n: 0 });
    await Promise.all(Array.from({ length: 50 }, () => ref.update({ n: FieldValue.increment(1) })));
    expect((await ref.get()).get('n')).toBe(50);
  });
});

// Our emulator's simulated commit latency (an option of startFirestoreEmulator), so our emulator alone.
describe('Firestore emulator: contention with a commit latency', () => {
  const LATENCY_MS = 400;
  const slow = useFirestoreEmulator({ commitLatencyMs: LATENCY_MS });

  it('transactions on different documents commit in parallel (about one latency, not one per document)', async () => {
    const db = slow.db;
    const refs = Array.from({ length: 8 }, (_, i) => db.doc(`parallel/doc${i}`));
    await Promise.all(refs.map((ref) => ref.set({ n: 0 })));
    const started = Date.now();
    await Promise.all(
      refs.map((ref) =>
        db.runTransaction(async (transaction) => {
          const snapshot = await transaction.get(ref);
          transaction.update(ref, { n: (snapshot.get('n') as number) + 1 });
        }),
      ),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(elapsed).toBeLessThan((refs.length * LATENCY_MS) / 2);
    const counts = await Promise.all(refs.map(async (ref) => (await ref.get()).get('n') as number));
    expect(counts).toEqual(refs.map(() => 1));
  });

  it('writes to one hot document queue behind each other while each holds its lock', async () => {
    const ref = slow.db.doc('parallel/hot');
    await ref.set({ n: 0 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 3 }, () => ref.update({ n: FieldValue.increment(1) })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * LATENCY_MS * 0.9);
    expect((await ref.get()).get('n')).toBe(3);
  });
});
