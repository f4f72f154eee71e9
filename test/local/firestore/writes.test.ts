import { status } from '@grpc/grpc-js';
import { FieldPath, FieldValue, Timestamp } from '@google-cloud/firestore';
import { DATABASE, describeConformance, failureOf } from './emulator-fixture';

describeConformance('Firestore emulator: writes', (fixture, it) => {
  it('set replaces the whole document', async () => {
    const ref = fixture.db.doc('cities/sf');
    await ref.set({ name: 'San Francisco', state: 'CA' });
    await ref.set({ name: 'SF' });
    expect((await ref.get()).data()).toEqual({ name: 'SF' });
  });

  it('set with merge only touches the given fields, including nested ones', async () => {
    const ref = fixture.db.doc('cities/la');
    await ref.set({ name: 'LA', address: { zip: '90001', city: 'Los Angeles' } });
    await ref.set({ address: { zip: '90002' }, capital: false }, { merge: true });
    expect((await ref.get()).data()).toEqual({
      name: 'LA',
      capital: false,
      address: { zip: '90002', city: 'Los Angeles' },
    });
  });

  it('update with dotted paths and FieldPath segments that need backtick quoting', async () => {
    const ref = fixture.db.doc('users/ada');
    await ref.set({ profile: { age: 36, 'first.name': 'Ada' }, 'a.b': 'literal' });
    await ref.update(
      'profile.age',
      37,
      new FieldPath('profile', 'first.name'),
      'Augusta',
      new FieldPath('a.b'),
      'x',
    );
    expect((await ref.get()).data()).toEqual({ profile: { age: 37, 'first.name': 'Augusta' }, 'a.b': 'x' });
  });

  it('FieldValue.delete() removes a field (also a nested one)', async () => {
    const ref = fixture.db.doc('users/grace');
    await ref.set({ a: 1, b: 2, nested: { c: 3, d: 4 } });
    await ref.update({ a: FieldValue.delete(), 'nested.c': FieldValue.delete() });
    expect((await ref.get()).data()).toEqual({ b: 2, nested: { d: 4 } });
    await ref.set({ b: FieldValue.delete() }, { merge: true });
    expect((await ref.get()).data()).toEqual({ nested: { d: 4 } });
  });

  it('increment: integers stay integers, a double makes a double, missing or non-numeric fields count as 0', async () => {
    const db = fixture.client({ useBigInt: true });
    const ref = db.doc('counters/c');
    await ref.set({ int: 5, text: 'five' });
    await ref.update({
      int: FieldValue.increment(2),
      created: FieldValue.increment(3),
      text: FieldValue.increment(4),
    });
    const data = (await ref.get()).data();
    expect(data).toEqual({ int: 7n, created: 3n, text: 4n });
    await ref.update({ int: FieldValue.increment(0.5) });
    expect((await ref.get()).get('int')).toBe(7.5);
  });

  it('increment saturates at the 64-bit integer bounds', async () => {
    const db = fixture.client({ useBigInt: true });
    const ref = db.doc('counters/big');
    await ref.set({ n: 9223372036854775800n });
    await ref.update({ n: FieldValue.increment(100) });
    expect((await ref.get()).get('n')).toBe(9223372036854775807n);
  });

  // REQUEST_TIME: "the time at which the server processed the request, with millisecond precision"; the
  // same value for every field of one commit (google.firestore.v1.DocumentTransform.ServerValue).
  it('serverTimestamp() is the request time in milliseconds, one value per commit', async () => {
    const ref = fixture.db.doc('events/e');
    const other = fixture.db.doc('events/f');
    const before = Date.now();
    const [result] = await fixture.db
      .batch()
      .set(ref, { at: FieldValue.serverTimestamp(), again: FieldValue.serverTimestamp() })
      .set(other, { at: FieldValue.serverTimestamp() })
      .commit();
    const snapshot = await ref.get();
    const at = snapshot.get('at') as Timestamp;
    expect(at.nanoseconds % 1_000_000).toBe(0);
    expect(at.toMillis()).toBeGreaterThanOrEqual(before - 1_000);
    expect(at.toMillis()).toBeLessThanOrEqual(result?.writeTime.toMillis() ?? 0);
    expect(snapshot.get('again')).toEqual(at);
    expect((await other.get()).get('at')).toEqual(at);
    expect(snapshot.updateTime).toEqual(result?.writeTime);
  });

  it('arrayUnion appends missing elements, arrayRemove removes every occurrence', async () => {
    const ref = fixture.db.doc('lists/l');
    await ref.set({ tags: ['a', 'b', 'a'], notArray: 1 });
    await ref.update({ tags: FieldValue.arrayUnion('b', 'c', 'c'), created: FieldValue.arrayUnion('x') });
    expect((await ref.get()).data()).toEqual({ tags: ['a', 'b', 'a', 'c'], created: ['x'], notArray: 1 });
    await ref.update({ tags: FieldValue.arrayRemove('a'), notArray: FieldValue.arrayRemove(1) });
    expect((await ref.get()).data()).toEqual({ tags: ['b', 'c'], created: ['x'], notArray: [] });
  });

  it('maximum and minimum transforms, with transform_results in the write result', async () => {
    const name = `${DATABASE}/documents/stats/s`;
    await fixture.db.doc('stats/s').set({ high: 5, low: 5, text: 'x' });
    const response = await fixture.raw.unary('Commit', {
      database: DATABASE,
      writes: [
        {
          update: { name, fields: {} },
          updateMask: { fieldPaths: [] },
          updateTransforms: [
            { fieldPath: 'high', maximum: { integerValue: '9' } },
            { fieldPath: 'low', minimum: { doubleValue: 2.5 } },
            { fieldPath: 'text', maximum: { integerValue: '1' } },
            { fieldPath: 'high', maximum: { integerValue: '3' } },
          ],
          currentDocument: { exists: true },
        },
      ],
    });
    expect(response).toMatchObject({
      writeResults: [
        {
          transformResults: [
            { integerValue: '9' },
            { doubleValue: 2.5 },
            { integerValue: '1' },
            { integerValue: '9' },
          ],
        },
      ],
    });
    expect((await fixture.db.doc('stats/s').get()).data()).toEqual({ high: 9, low: 2.5, text: 1 });
  });

  it('create of an existing document fails with ALREADY_EXISTS', async () => {
    const ref = fixture.db.doc('items/one');
    await ref.create({ n: 1 });
    const error = await failureOf(ref.create({ n: 2 }));
    expect(error.code).toBe(status.ALREADY_EXISTS);
    expect((await ref.get()).data()).toEqual({ n: 1 });
  });

  it('update of a missing document fails with NOT_FOUND', async () => {
    const error = await failureOf(fixture.db.doc('items/missing').update({ n: 1 }));
    expect(error.code).toBe(status.NOT_FOUND);
    expect((await fixture.db.doc('items/missing').get()).exists).toBe(false);
  });

  it('a stale lastUpdateTime precondition fails with FAILED_PRECONDITION; the current one succeeds', async () => {
    const ref = fixture.db.doc('items/versioned');
    const first = await ref.set({ n: 1 });
    const second = await ref.update({ n: 2 });
    const stale = await failureOf(ref.update({ n: 3 }, { lastUpdateTime: first.writeTime }));
    expect(stale.code).toBe(status.FAILED_PRECONDITION);
    await ref.update({ n: 4 }, { lastUpdateTime: second.writeTime });
    expect((await ref.get()).get('n')).toBe(4);
  });

  it('delete removes a document; delete with exists precondition on a missing document fails', async () => {
    const ref = fixture.db.doc('items/gone');
    await ref.set({ n: 1 });
    await ref.delete();
    expect((await ref.get()).exists).toBe(false);
    await ref.delete();
    const error = await failureOf(ref.delete({ exists: true }));
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('a batch is atomic: when its second write fails, its first write is not applied', async () => {
    const batch = fixture.db.batch();
    batch.set(fixture.db.doc('batch/first'), { n: 1 });
    batch.update(fixture.db.doc('batch/missing'), { n: 2 });
    const error = await failureOf(batch.commit());
    expect(error.code).toBe(status.NOT_FOUND);
    expect((await fixture.db.doc('batch/first').get()).exists).toBe(false);
  });

  it('writes of one commit apply in order: set then update of the same document succeeds', async () => {
    const ref = fixture.db.doc('batch/doc');
    const results = await fixture.db
      .batch()
      .set(ref, { a: 1 })
      .update(ref, { b: FieldValue.increment(1) })
      .commit();
    expect((await ref.get()).data()).toEqual({ a: 1, b: 1 });
    expect(results).toHaveLength(2);
    expect(results[0]?.writeTime).toEqual(results[1]?.writeTime);
  });

  it('create_time stays, update_time moves with every change and equals the commit time', async () => {
    const ref = fixture.db.doc('times/t');
    const created = await ref.create({ n: 1 });
    const updated = await ref.update({ n: 2 });
    const snapshot = await ref.get();
    expect(snapshot.createTime).toEqual(created.writeTime);
    expect(snapshot.updateTime).toEqual(updated.writeTime);
    expect(updated.writeTime.toMillis()).toBeGreaterThanOrEqual(created.writeTime.toMillis());
    expect(updated.writeTime.isEqual(created.writeTime)).toBe(false);
  });

  it('keeps 64-bit integers exact (useBigInt)', async () => {
    const db = fixture.client({ useBigInt: true });
    const ref = db.doc('numbers/big');
    await ref.set({ n: 9007199254740993n, min: -9223372036854775808n, max: 9223372036854775807n });
    expect((await ref.get()).data()).toEqual({
      n: 9007199254740993n,
      min: -9223372036854775808n,
      max: 9223372036854775807n,
    });
  });

  it('round-trips every value type', async () => {
    const ref = fixture.db.doc('types/all');
    const data = {
      nil: null,
      yes: true,
      int: 42,
      double: 1.5,
      nan: NaN,
      time: new Timestamp(1_700_000_000, 123_456_000),
      text: 'héllo 🌍',
      bytes: Buffer.from([0, 1, 255]),
      ref: fixture.db.doc('types/other'),
      array: [1, 'two', { three: [3] }],
      map: { nested: { deep: 'x' } },
    };
    await ref.set(data);
    const read = (await ref.get()).data();
    expect(read).toEqual({ ...data, ref: expect.anything(), bytes: expect.anything() });
    expect(read?.ref.path).toBe('types/other');
    expect(Buffer.from(read?.bytes as Uint8Array)).toEqual(Buffer.from([0, 1, 255]));
  });

  it('applies a field mask on reads', async () => {
    const ref = fixture.db.doc('masked/m');
    await ref.set({ a: 1, b: { c: 2, d: 3 }, e: 4 });
    const [snapshot] = await fixture.db.getAll(ref, { fieldMask: ['a', 'b.c'] });
    expect(snapshot?.data()).toEqual({ a: 1, b: { c: 2 } });
  });

  it('reports missing documents from getAll', async () => {
    const present = fixture.db.doc('multi/present');
    await present.set({ n: 1 });
    const [a, b] = await fixture.db.getAll(present, fixture.db.doc('multi/absent'));
    expect(a?.exists).toBe(true);
    expect(b?.exists).toBe(false);
  });

  // "Document IDs ... must not match the regular expression __.*__"; the same holds for collection IDs
  // (https://firebase.google.com/docs/firestore/quotas, limits on collections, documents and fields).
  it('rejects document and collection ids that match __.*__ with INVALID_ARGUMENT', async () => {
    for (const path of ['ids/__reserved__', '__reserved__/doc', 'ids/ok/__sub__/doc']) {
      const error = await failureOf(fixture.db.doc(path).set({ n: 1 }));
      expect({ path, code: error.code }).toEqual({ path, code: status.INVALID_ARGUMENT });
    }
    await fixture.db.doc('ids/__partly').set({ n: 1 });
    await fixture.db.doc('ids/partly__').set({ n: 1 });
    await fixture.db.doc('ids/_x_').set({ n: 1 });
    // Datastore-style numeric ids look reserved but are accepted (Google's emulator does), and sort first.
    await fixture.db.doc('ids/__id7__').set({ n: 1 });
    expect((await fixture.db.collection('ids').get()).docs.map((d) => d.id)).toEqual([
      '__id7__',
      '__partly',
      '_x_',
      'partly__',
    ]);
  });
});
