import { status } from '@grpc/grpc-js';
import { FieldValue } from '@google-cloud/firestore';
import { setFirestoreCommitFaults } from '../../../local/firestore/admin-client';
import {
  type CommitFault,
  type InjectedCommitFaults,
  parseCommitFaults,
} from '../../../local/firestore/faults';
import { DATABASE, failureOf, useFirestoreEmulator } from './emulator-fixture';

const fixture = useFirestoreEmulator();

function setFaults(faults: readonly CommitFault[]): Promise<InjectedCommitFaults> {
  return setFirestoreCommitFaults(fixture.emulator.address, faults);
}

/** A plain Commit through the raw API, so that no client library retries it. */
function rawSet(path: string, n: number): Promise<object> {
  return fixture.raw.unary('Commit', {
    database: DATABASE,
    writes: [
      { update: { name: `${DATABASE}/documents/${path}`, fields: { n: { integerValue: String(n) } } } },
    ],
  });
}

async function stored(path: string): Promise<unknown> {
  return (await fixture.db.doc(path).get()).get('n');
}

/** Whether each of `count` raw commits failed, in order. */
async function failurePattern(count: number): Promise<boolean[]> {
  const pattern: boolean[] = [];
  for (let i = 0; i < count; i += 1) {
    pattern.push(
      await rawSet(`pattern/${i}`, i).then(
        () => false,
        () => true,
      ),
    );
  }
  return pattern;
}

describe('Firestore emulator: commit fault injection', () => {
  afterEach(() => setFaults([]));

  it('injects nothing by default', async () => {
    await rawSet('plain/a', 1);
    expect(await stored('plain/a')).toBe(1);
  });

  it('fails the next commit before applying it: nothing is written, the following commit goes through', async () => {
    await setFaults([{ code: 'UNAVAILABLE', when: 'before-apply', count: 1 }]);
    const error = await failureOf(rawSet('before/a', 1));
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(await stored('before/a')).toBeUndefined();
    await rawSet('before/a', 2);
    expect(await stored('before/a')).toBe(2);
  });

  it('fails a commit after applying it: the client sees the error although the writes landed', async () => {
    await setFaults([{ code: 'DEADLINE_EXCEEDED', when: 'after-apply', count: 1 }]);
    const error = await failureOf(rawSet('after/a', 1));
    expect(error.code).toBe(status.DEADLINE_EXCEEDED);
    expect(await stored('after/a')).toBe(1);
  });

  it('makes the SDK re-run a transaction whose commit landed: a blind increment counts twice', async () => {
    const db = fixture.db;
    await db.doc('counters/c').set({ n: 0 });
    await setFaults([
      { code: 'DEADLINE_EXCEEDED', when: 'after-apply', count: 1, documentPrefix: 'counters/' },
    ]);
    let runs = 0;
    await db.runTransaction(
      async (tx) => {
        runs += 1;
        const n = (await tx.get(db.doc('counters/c'))).get('n') as number;
        tx.update(db.doc('counters/c'), { n: n + 1 });
      },
      { maxAttempts: 2 },
    );
    expect(runs).toBe(2);
    expect(await stored('counters/c')).toBe(2);
  });

  it('keeps faults per scope: setting or clearing one scope leaves the others', async () => {
    await setFirestoreCommitFaults(
      fixture.emulator.address,
      [{ code: 'UNAVAILABLE', when: 'before-apply', count: 1 }],
      'a',
    );
    await setFirestoreCommitFaults(fixture.emulator.address, [], 'b');
    expect((await failureOf(rawSet('scoped/a', 1))).code).toBe(status.UNAVAILABLE);
    await setFirestoreCommitFaults(
      fixture.emulator.address,
      [{ code: 'UNAVAILABLE', when: 'before-apply', count: 1 }],
      'a',
    );
    await setFirestoreCommitFaults(fixture.emulator.address, [], 'a');
    await rawSet('scoped/a', 2);
    expect(await stored('scoped/a')).toBe(2);
  });

  it('fails only commits that write under documentPrefix', async () => {
    await setFaults([{ code: 'UNAVAILABLE', when: 'before-apply', count: 1, documentPrefix: 'target/' }]);
    await rawSet('other/a', 1);
    expect(await stored('other/a')).toBe(1);
    expect((await failureOf(rawSet('target/a', 1))).code).toBe(status.UNAVAILABLE);
    await rawSet('target/a', 2);
    expect(await stored('target/a')).toBe(2);
  });

  it('lets the SDK retry a plain write that failed before applying, so it lands exactly once', async () => {
    await setFaults([{ code: 'UNAVAILABLE', when: 'before-apply', count: 1 }]);
    await fixture.db.doc('sdk/a').set({ n: FieldValue.increment(1) });
    expect(await stored('sdk/a')).toBe(1);
  });

  it('fails a seeded fraction of commits, the same ones again for the same seed', async () => {
    const fault: CommitFault = { code: 'UNAVAILABLE', when: 'before-apply', fraction: 0.5, seed: 7 };
    await setFaults([fault]);
    const first = await failurePattern(40);
    await setFaults([fault]);
    const replayed = await failurePattern(40);
    expect(replayed).toEqual(first);
    const failed = first.filter(Boolean).length;
    // Replacing the faults answers what they injected.
    expect(await setFaults([])).toEqual({ failed, delayed: 0 });
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
  });

  it('aborts a commit like a lost lock conflict, which the SDK retries for a transaction', async () => {
    await setFaults([{ code: 'ABORTED', when: 'before-apply', count: 1 }]);
    const error = await failureOf(rawSet('aborted/a', 1));
    expect(error.code).toBe(status.ABORTED);
    expect(error.message).toMatch(/Too much contention/);
    expect(await stored('aborted/a')).toBeUndefined();
    await setFaults([{ code: 'ABORTED', when: 'after-apply', count: 1 }]).then(
      () => {
        throw new Error('an ABORTED fault after applying was accepted');
      },
      (refused: unknown) => expect(refused).toMatchObject({ code: status.INVALID_ARGUMENT }),
    );
  });

  it('refuses a fault that sets both count and fraction, at run time and from JSON', async () => {
    const invalid = { code: 'UNAVAILABLE', when: 'after-apply', count: 1, fraction: 0.5 } as const;
    const error = await failureOf(setFaults([invalid]));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(() => parseCommitFaults(JSON.stringify([invalid]))).toThrow(/exactly one of count and fraction/);
    expect(parseCommitFaults('[{"code":"DEADLINE_EXCEEDED","when":"before-apply","count":2}]')).toEqual([
      { code: 'DEADLINE_EXCEEDED', when: 'before-apply', count: 2 },
    ]);
  });

  describe('latency spikes', () => {
    it('holds the commit and its locks before applying: a later commit of the document lands after it', async () => {
      await setFaults([
        { code: 'LATENCY', when: 'before-apply', delayMs: 800, count: 1, documentPrefix: 'slow/' },
      ]);
      const started = Date.now();
      const slow = rawSet('slow/a', 1).then(() => Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await stored('slow/a')).toBeUndefined();
      await fixture.db.runTransaction(async (tx) => {
        tx.set(fixture.db.doc('slow/a'), { n: 2 });
      });
      expect(await slow).toBeGreaterThanOrEqual(800);
      // The transaction waited for the spiked commit's lock, so its write is the last one.
      expect(await stored('slow/a')).toBe(2);
    });

    it('answers late after applying: the writes are visible before the client hears of them', async () => {
      await setFaults([{ code: 'LATENCY', when: 'after-apply', delayMs: 1500, count: 1 }]);
      let answered = false;
      const late = rawSet('late/a', 1).then(() => {
        answered = true;
      });
      while ((await stored('late/a')) === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(answered).toBe(false);
      await late;
      expect(answered).toBe(true);
    });

    it('spikes a seeded fraction of commits and still lets a failure of the same commit fire', async () => {
      await setFaults([
        { code: 'LATENCY', when: 'before-apply', delayMs: 300, fraction: 1, seed: 3 },
        { code: 'UNAVAILABLE', when: 'after-apply', count: 1 },
      ]);
      const started = Date.now();
      const error = await failureOf(rawSet('both/a', 1));
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(error.code).toBe(status.UNAVAILABLE);
      expect(await stored('both/a')).toBe(1);
      // The read above is no commit; the one commit was both failed and slowed.
      expect(await setFaults([])).toEqual({ failed: 1, delayed: 1 });
    });

    it('refuses a spike without delayMs and a delayMs on a failure', async () => {
      for (const invalid of [
        { code: 'LATENCY', when: 'before-apply', count: 1 },
        { code: 'UNAVAILABLE', when: 'before-apply', count: 1, delayMs: 100 },
      ] as const) {
        expect((await failureOf(setFaults([invalid]))).code).toBe(status.INVALID_ARGUMENT);
        expect(() => parseCommitFaults(JSON.stringify([invalid]))).toThrow(/delayMs/);
      }
    });
  });
});
