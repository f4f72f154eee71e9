import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import {
  DATABASE,
  describeConformance,
  type EmulatorFixture,
  failureOf,
  sleep,
  useFirestoreEmulator,
} from './emulator-fixture';

/** Tracks whether a promise has settled, without awaiting it (its rejection is awaited later). */
function watch<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  tracked.catch(() => undefined);
  return { promise: tracked, settled: () => settled };
}

/** Raw transaction calls, to control exactly which transaction is older. */
function rawTransactions(fixture: EmulatorFixture) {
  const name = (path: string) => `${DATABASE}/documents/${path}`;
  return {
    begin: async (options: object = { readWrite: {} }): Promise<Buffer> => {
      const response = (await fixture.raw.unary('BeginTransaction', { database: DATABASE, options })) as {
        transaction: Buffer;
      };
      return response.transaction;
    },
    read: (transaction: Buffer, path: string) =>
      fixture.raw.stream('BatchGetDocuments', { database: DATABASE, documents: [name(path)], transaction }),
    write: (transaction: Buffer, path: string, by: string) =>
      fixture.raw.unary('Commit', {
        database: DATABASE,
        transaction,
        writes: [{ update: { name: name(path), fields: { by: { stringValue: by } } } }],
      }),
    rollback: (transaction: Buffer) => fixture.raw.unary('Rollback', { database: DATABASE, transaction }),
  };
}

/*
 * Production resolves lock conflicts between transactions by wound-wait, the older transaction wins and
 * the younger fails with "Too much contention" (https://cloud.google.com/firestore/docs/transaction-data-contention).
 */
const WOUND_WAIT =
  'Google\'s emulator resolves lock conflicts by a lock timeout ("ABORTED: Transaction lock timeout"), not by production\'s wound-wait (cloud.google.com/firestore/docs/transaction-data-contention)';

describeConformance(
  'Firestore emulator: transactions (pessimistic, server SDK semantics)',
  (fixture, it) => {
    it('a plain write to a document read by an open transaction waits until the transaction ends', async () => {
      const db = fixture.db;
      const ref = db.doc('locks/read');
      await ref.set({ n: 1 });
      let plainWrite: ReturnType<typeof watch> | undefined;
      await db.runTransaction(async (transaction) => {
        const snapshot = await transaction.get(ref);
        plainWrite = watch(ref.set({ n: 100 }));
        await sleep(300);
        expect(plainWrite.settled()).toBe(false);
        transaction.update(ref, { n: (snapshot.get('n') as number) + 1 });
      });
      await plainWrite?.promise;
      expect((await ref.get()).get('n')).toBe(100);
    });

    it('documents returned by a query in a transaction are locked too', async () => {
      const db = fixture.db;
      await db.doc('seats/a1').set({ free: true });
      await db.doc('seats/a2').set({ free: false });
      let plainWrite: ReturnType<typeof watch> | undefined;
      await db.runTransaction(async (transaction) => {
        const free = await transaction.get(db.collection('seats').where('free', '==', true));
        expect(free.docs.map((d) => d.id)).toEqual(['a1']);
        plainWrite = watch(db.doc('seats/a1').update({ holder: 'someone else' }));
        await sleep(300);
        expect(plainWrite.settled()).toBe(false);
        transaction.update(db.doc('seats/a1'), { free: false, holder: 'transaction' });
      });
      await plainWrite?.promise;
      expect((await db.doc('seats/a1').get()).data()).toEqual({ free: false, holder: 'someone else' });
    });

    it('aggregation queries run inside a transaction', async () => {
      const db = fixture.db;
      await Promise.all(['x', 'y'].map((id) => db.doc(`tickets/${id}`).set({ sold: true })));
      const count = await db.runTransaction(async (transaction) => {
        const snapshot = await transaction.get(db.collection('tickets').count());
        transaction.set(db.doc('tickets/summary'), { count: snapshot.data().count });
        return snapshot.data().count;
      });
      expect(count).toBe(2);
      expect((await db.doc('tickets/summary').get()).get('count')).toBe(2);
    });

    it('a read-only transaction takes no locks and reads one consistent snapshot', async () => {
      const db = fixture.db;
      const ref = db.doc('snapshots/doc');
      await ref.set({ n: 1 });
      await db.runTransaction(
        async (transaction) => {
          expect((await transaction.get(ref)).get('n')).toBe(1);
          await ref.set({ n: 2 });
          expect((await transaction.get(ref)).get('n')).toBe(1);
        },
        { readOnly: true },
      );
      expect((await ref.get()).get('n')).toBe(2);
    });

    it('a read-only transaction at a read time sees the data as of that time', async () => {
      const db = fixture.db;
      const ref = db.doc('snapshots/timed');
      const first = await ref.set({ n: 1 });
      await ref.set({ n: 2 });
      const n = await db.runTransaction(
        async (transaction) => (await transaction.get(ref)).get('n') as number,
        {
          readOnly: true,
          readTime: first.writeTime,
        },
      );
      expect(n).toBe(1);
    });

    it('wound-wait: of two transactions that both read a document and then write it, the younger one fails at once', async () => {
      const raw = rawTransactions(fixture);
      await fixture.db.doc('contended/doc').set({ by: 'nobody' });
      const older = await raw.begin();
      const younger = await raw.begin();
      await raw.read(older, 'contended/doc');
      await raw.read(younger, 'contended/doc');
      const youngerCommit = watch(raw.write(younger, 'contended/doc', 'younger'));
      await sleep(200);
      expect(youngerCommit.settled()).toBe(false);
      await raw.write(older, 'contended/doc', 'older');
      const error = await failureOf(youngerCommit.promise);
      expect(error.code).toBe(status.ABORTED);
      expect(error.message).toContain('Too much contention');
      expect((await fixture.db.doc('contended/doc').get()).get('by')).toBe('older');
    });

    it('wound-wait: an older transaction committing first aborts the younger reader', async () => {
      const raw = rawTransactions(fixture);
      await fixture.db.doc('contended/first').set({ by: 'nobody' });
      const older = await raw.begin();
      const younger = await raw.begin();
      await raw.read(younger, 'contended/first');
      await raw.read(older, 'contended/first');
      await raw.write(older, 'contended/first', 'older');
      const error = await failureOf(raw.write(younger, 'contended/first', 'younger'));
      expect(error.code).toBe(status.ABORTED);
      expect((await fixture.db.doc('contended/first').get()).get('by')).toBe('older');
    });

    it('a retried transaction (retry_transaction) keeps the age of its first attempt', async () => {
      const raw = rawTransactions(fixture);
      await fixture.db.doc('contended/retry').set({ by: 'nobody' });
      const firstAttempt = await raw.begin();
      const other = await raw.begin();
      await raw.rollback(firstAttempt);
      const retry = await raw.begin({ readWrite: { retryTransaction: firstAttempt } });
      await raw.read(other, 'contended/retry');
      await raw.read(retry, 'contended/retry');
      const otherCommit = watch(raw.write(other, 'contended/retry', 'other'));
      await sleep(200);
      expect(otherCommit.settled()).toBe(false);
      await raw.write(retry, 'contended/retry', 'retry');
      expect((await failureOf(otherCommit.promise)).code).toBe(status.ABORTED);
    });

    it('rollback releases the locks of a transaction', async () => {
      const raw = rawTransactions(fixture);
      await fixture.db.doc('locks/rollback').set({ n: 1 });
      const transaction = await raw.begin();
      await raw.read(transaction, 'locks/rollback');
      const plainWrite = watch(fixture.db.doc('locks/rollback').set({ n: 2 }));
      await sleep(200);
      expect(plainWrite.settled()).toBe(false);
      await raw.rollback(transaction);
      await plainWrite.promise;
      expect((await fixture.db.doc('locks/rollback').get()).get('n')).toBe(2);
    });

    it('unknown and finished transaction ids are rejected with INVALID_ARGUMENT', async () => {
      const raw = rawTransactions(fixture);
      const unknown = await failureOf(raw.write(randomBytes(16), 'ids/doc', 'x'));
      expect(unknown.code).toBe(status.INVALID_ARGUMENT);
      expect(unknown.message).toContain('transaction has expired');
      const transaction = await raw.begin();
      await raw.write(transaction, 'ids/doc', 'first');
      expect((await failureOf(raw.write(transaction, 'ids/doc', 'again'))).code).toBe(
        status.INVALID_ARGUMENT,
      );
    });

    it('a read-only transaction cannot write', async () => {
      const raw = rawTransactions(fixture);
      const transaction = await raw.begin({ readOnly: {} });
      expect((await failureOf(raw.write(transaction, 'ro/doc', 'x'))).code).toBe(status.INVALID_ARGUMENT);
    });
  },
  {
    notOnGoogle: {
      'wound-wait: of two transactions that both read a document and then write it, the younger one fails at once':
        WOUND_WAIT,
      'wound-wait: an older transaction committing first aborts the younger reader': WOUND_WAIT,
      'a retried transaction (retry_transaction) keeps the age of its first attempt': WOUND_WAIT,
      'unknown and finished transaction ids are rejected with INVALID_ARGUMENT':
        'Google\'s emulator words it "Invalid transaction.", production "The referenced transaction has expired or is no longer valid." (the Node.js SDK retries a transaction on "transaction has expired", @google-cloud/firestore src/transaction.ts)',
    },
  },
);

// Our emulator's own limits (options of startFirestoreEmulator), so our emulator alone.
describe('Firestore emulator: transactions with a short lock wait limit', () => {
  const bounded = useFirestoreEmulator({ lockWaitTimeoutMs: 300 });

  it('a commit that waits too long for a lock fails with ABORTED (the SDK then retries plain writes)', async () => {
    const name = `${DATABASE}/documents/bounded/doc`;
    await bounded.db.doc('bounded/doc').set({ n: 1 });
    const { transaction } = (await bounded.raw.unary('BeginTransaction', {
      database: DATABASE,
      options: {},
    })) as {
      transaction: Buffer;
    };
    await bounded.raw.stream('BatchGetDocuments', { database: DATABASE, documents: [name], transaction });
    const started = Date.now();
    const error = await failureOf(
      bounded.raw.unary('Commit', {
        database: DATABASE,
        writes: [{ update: { name, fields: { n: { integerValue: '2' } } } }],
      }),
    );
    expect(error.code).toBe(status.ABORTED);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // WriteBatch.commit retries ABORTED, so through the SDK a plain write just waits for the lock.
    const sdkWrite = watch(bounded.db.doc('bounded/doc').set({ n: 3 }));
    await sleep(700);
    expect(sdkWrite.settled()).toBe(false);
    await bounded.raw.unary('Rollback', { database: DATABASE, transaction });
    await sdkWrite.promise;
    expect((await bounded.db.doc('bounded/doc').get()).get('n')).toBe(3);
  });
});

describe('Firestore emulator: transactions with a short transaction idle timeout', () => {
  const expiring = useFirestoreEmulator({ transactionIdleTimeoutMs: 300 });

  it('an abandoned transaction expires, releases its locks, and the SDK retries it', async () => {
    const db = expiring.db;
    const ref = db.doc('expiring/doc');
    await ref.set({ n: 1 });
    let attempts = 0;
    await db.runTransaction(async (transaction) => {
      attempts++;
      const snapshot = await transaction.get(ref);
      // The first attempt idles while a plain write waits for its lock: the lock goes when it expires.
      if (attempts === 1) await ref.set({ n: 100 });
      transaction.update(ref, { n: (snapshot.get('n') as number) + 1 });
    });
    expect(attempts).toBe(2);
    expect((await ref.get()).get('n')).toBe(101);
  });
});

// Commit latency is our emulator's option, so our emulator alone.
describe('Firestore emulator: a commit holding its locks finishes whatever happens to its transaction', () => {
  const slow = useFirestoreEmulator({ commitLatencyMs: 300 });

  it('a retry (retry_transaction) begun while the attempt commits leaves its locks until it has applied', async () => {
    const raw = rawTransactions(slow);
    await slow.db.doc('applying/doc').set({ by: 'nobody' });
    const attempt = await raw.begin();
    await raw.read(attempt, 'applying/doc');
    const commit = raw.write(attempt, 'applying/doc', 'attempt');
    await sleep(100);
    // A client that saw the commit fail (say, its connection dropped) retries the transaction.
    await raw.begin({ readWrite: { retryTransaction: attempt } });
    const reader = await raw.begin();
    const [read] = (await raw.read(reader, 'applying/doc')) as {
      found?: { fields?: { by?: { stringValue?: string } } };
    }[];
    expect(read?.found?.fields?.by?.stringValue).toBe('attempt');
    await commit;
  });
});
