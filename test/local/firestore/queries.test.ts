import { FieldPath, Filter, type Firestore, GeoPoint, Timestamp } from '@google-cloud/firestore';
import { describeConformance } from './emulator-fixture';

async function seed(db: Firestore, collection: string, documents: Record<string, Record<string, unknown>>) {
  const batch = db.batch();
  for (const [id, data] of Object.entries(documents)) batch.set(db.collection(collection).doc(id), data);
  await batch.commit();
}

async function ids(query: FirebaseFirestore.Query): Promise<string[]> {
  return (await query.get()).docs.map((d) => d.id);
}

const CITIES = {
  sf: {
    name: 'San Francisco',
    state: 'CA',
    population: 860000,
    capital: false,
    regions: ['west_coast', 'norcal'],
  },
  la: {
    name: 'Los Angeles',
    state: 'CA',
    population: 3900000,
    capital: false,
    regions: ['west_coast', 'socal'],
  },
  dc: { name: 'Washington', state: null, population: 680000, capital: true, regions: ['east_coast'] },
  tok: { name: 'Tokyo', state: null, population: 9000000, capital: true, regions: ['kanto', 'honshu'] },
  bj: { name: 'Beijing', population: 21500000, capital: true, regions: ['jingjinji', 'hebei'] },
};

describeConformance('Firestore emulator: queries', (fixture, it) => {
  beforeEach(() => seed(fixture.db, 'cities', CITIES));
  const cities = () => fixture.db.collection('cities');

  it('== and the implicit order by document name', async () => {
    expect(await ids(cities().where('state', '==', 'CA'))).toEqual(['la', 'sf']);
    expect(await ids(cities())).toEqual(['bj', 'dc', 'la', 'sf', 'tok']);
  });

  it('<, <=, >, >= are ordered by the inequality field implicitly', async () => {
    expect(await ids(cities().where('population', '<', 860000))).toEqual(['dc']);
    expect(await ids(cities().where('population', '<=', 860000))).toEqual(['dc', 'sf']);
    expect(await ids(cities().where('population', '>', 3900000))).toEqual(['tok', 'bj']);
    expect(await ids(cities().where('population', '>=', 3900000))).toEqual(['la', 'tok', 'bj']);
  });

  it('range filters only match values of the same type', async () => {
    await fixture.db.doc('cities/weird').set({ population: 'many' });
    expect(await ids(cities().where('population', '>', 0))).not.toContain('weird');
    expect(await ids(cities().where('population', '>', ''))).toEqual(['weird']);
  });

  it('!= and not-in exclude documents where the field is missing or null', async () => {
    expect(await ids(cities().where('state', '!=', 'CA'))).toEqual([]);
    expect(await ids(cities().where('capital', '!=', false))).toEqual(['bj', 'dc', 'tok']);
    expect(await ids(cities().where('name', 'not-in', ['Tokyo', 'Beijing']))).toEqual(['la', 'sf', 'dc']);
  });

  it('in, array-contains and array-contains-any', async () => {
    expect(await ids(cities().where('name', 'in', ['Tokyo', 'Beijing', 'Nowhere']))).toEqual(['bj', 'tok']);
    expect(await ids(cities().where('regions', 'array-contains', 'west_coast'))).toEqual(['la', 'sf']);
    expect(await ids(cities().where('regions', 'array-contains-any', ['socal', 'kanto']))).toEqual([
      'la',
      'tok',
    ]);
  });

  it('is null, is not null, is NaN, is not NaN', async () => {
    await seed(fixture.db, 'nums', { a: { v: NaN }, b: { v: 1 }, c: { v: null }, d: { w: 1 } });
    const nums = fixture.db.collection('nums');
    expect(await ids(cities().where('state', '==', null))).toEqual(['dc', 'tok']);
    expect(await ids(nums.where('v', '==', NaN))).toEqual(['a']);
    expect(await ids(nums.where('v', '!=', NaN))).toEqual(['b']);
    expect(await ids(nums.where('v', '!=', null))).toEqual(['a', 'b']);
  });

  it('AND / OR composite filters, nested', async () => {
    const query = cities().where(
      Filter.or(
        Filter.and(Filter.where('state', '==', 'CA'), Filter.where('population', '<', 1000000)),
        Filter.where('name', '==', 'Tokyo'),
      ),
    );
    expect((await ids(query)).sort()).toEqual(['sf', 'tok']);
  });

  it('orderBy ascending and descending, documents lacking the field are left out', async () => {
    expect(await ids(cities().orderBy('state'))).toEqual(['dc', 'tok', 'la', 'sf']);
    expect(await ids(cities().orderBy('population', 'desc'))).toEqual(['bj', 'tok', 'la', 'sf', 'dc']);
    expect(await ids(cities().orderBy('state', 'desc').orderBy('name'))).toEqual(['la', 'sf', 'tok', 'dc']);
  });

  it('orders across value types: null < bool < number < timestamp < string < bytes < reference < geopoint < array < map', async () => {
    const db = fixture.db;
    await seed(db, 'mixed', {
      map: { v: { a: 1 } },
      array: { v: [1, 2] },
      geo: { v: new GeoPoint(10, 20) },
      ref: { v: db.doc('x/y') },
      bytes: { v: Buffer.from([1]) },
      string: { v: 'text' },
      time: { v: Timestamp.fromMillis(0) },
      double: { v: 1.5 },
      int: { v: 1 },
      bigint: { v: -5 },
      nan: { v: NaN },
      bool: { v: false },
      null: { v: null },
    });
    expect(await ids(db.collection('mixed').orderBy('v'))).toEqual([
      'null',
      'bool',
      'nan',
      'bigint',
      'int',
      'double',
      'time',
      'string',
      'bytes',
      'ref',
      'geo',
      'array',
      'map',
    ]);
  });

  it('compares integers and doubles numerically (1 == 1.0)', async () => {
    await seed(fixture.db, 'numbers', { i: { v: 1 }, d: { v: 1.0000001 }, big: { v: 2 } });
    await fixture.db.doc('numbers/f').set({ v: 1.0 });
    expect(await ids(fixture.db.collection('numbers').where('v', '==', 1))).toEqual(['f', 'i']);
    expect(await ids(fixture.db.collection('numbers').where('v', '>', 1))).toEqual(['d', 'big']);
  });

  it('cursors from values: startAt, startAfter, endAt, endBefore', async () => {
    const byPopulation = cities().orderBy('population');
    expect(await ids(byPopulation.startAt(860000))).toEqual(['sf', 'la', 'tok', 'bj']);
    expect(await ids(byPopulation.startAfter(860000))).toEqual(['la', 'tok', 'bj']);
    expect(await ids(byPopulation.endAt(3900000))).toEqual(['dc', 'sf', 'la']);
    expect(await ids(byPopulation.endBefore(3900000))).toEqual(['dc', 'sf']);
    expect(await ids(cities().orderBy('population', 'desc').startAfter(3900000))).toEqual(['sf', 'dc']);
  });

  it('cursors from document snapshots (with the implicit name order)', async () => {
    await seed(fixture.db, 'cities', { sf2: { state: 'CA', population: 860000 } });
    const sf = await fixture.db.doc('cities/sf').get();
    const byPopulation = cities().orderBy('population');
    // The snapshot cursor also carries the document name, so sf2 (same population, later name) is after sf.
    expect(await ids(byPopulation.startAfter(sf))).toEqual(['sf2', 'la', 'tok', 'bj']);
    expect(await ids(byPopulation.startAt(sf))).toEqual(['sf', 'sf2', 'la', 'tok', 'bj']);
    expect(await ids(byPopulation.startAfter(860000))).toEqual(['la', 'tok', 'bj']);
    expect(await ids(byPopulation.endBefore(sf))).toEqual(['dc']);
    expect(await ids(cities().where('population', '>=', 860000).startAfter(sf))).toEqual([
      'sf2',
      'la',
      'tok',
      'bj',
    ]);
  });

  it('offset, limit and limitToLast', async () => {
    const byPopulation = cities().orderBy('population');
    expect(await ids(byPopulation.limit(2))).toEqual(['dc', 'sf']);
    expect(await ids(byPopulation.offset(1).limit(2))).toEqual(['sf', 'la']);
    expect(await ids(byPopulation.limitToLast(2))).toEqual(['tok', 'bj']);
  });

  it('select projections, including names only', async () => {
    const snapshot = await cities().where('name', '==', 'Tokyo').select('name', 'capital').get();
    expect(snapshot.docs[0]?.data()).toEqual({ name: 'Tokyo', capital: true });
    const namesOnly = await cities().select(FieldPath.documentId()).get();
    expect(namesOnly.docs.map((d) => d.data())).toEqual([{}, {}, {}, {}, {}]);
  });

  it('queries a subcollection of a parent document, and documentId filters', async () => {
    await fixture.db.doc('cities/sf/landmarks/bridge').set({ type: 'bridge' });
    await fixture.db.doc('cities/sf/landmarks/museum').set({ type: 'museum' });
    await fixture.db.doc('cities/la/landmarks/sign').set({ type: 'sign' });
    const landmarks = fixture.db.collection('cities/sf/landmarks');
    expect(await ids(landmarks)).toEqual(['bridge', 'museum']);
    expect(await ids(landmarks.where(FieldPath.documentId(), '>', 'bridge'))).toEqual(['museum']);
    expect(await ids(cities())).toHaveLength(5);
  });

  it('collection group queries find every collection with that id, at any depth', async () => {
    await fixture.db.doc('cities/sf/landmarks/bridge').set({ type: 'bridge', open: true });
    await fixture.db.doc('cities/tok/landmarks/tower').set({ type: 'tower', open: true });
    await fixture.db.doc('landmarks/top').set({ type: 'top', open: false });
    await fixture.db.doc('a/b/c/d/landmarks/deep').set({ type: 'deep', open: true });
    const snapshot = await fixture.db.collectionGroup('landmarks').where('open', '==', true).get();
    expect(snapshot.docs.map((d) => d.ref.path)).toEqual([
      'a/b/c/d/landmarks/deep',
      'cities/sf/landmarks/bridge',
      'cities/tok/landmarks/tower',
    ]);
  });

  describe('NaN', () => {
    beforeEach(() =>
      seed(fixture.db, 'readings', {
        nan: { v: Number.NaN },
        one: { v: 1 },
        low: { v: Number.NEGATIVE_INFINITY },
        none: { v: null },
        text: { v: 'x' },
        missing: {},
      }),
    );
    const readings = () => fixture.db.collection('readings');

    // NaN sorts before every number but is no number to compare with: only IS_NAN (the SDK's == NaN)
    // matches it (google.firestore.v1.StructuredQuery.UnaryFilter; observed on Google's emulator).
    it('== NaN matches NaN only; range filters never match NaN, not even from -Infinity', async () => {
      expect(await ids(readings().where('v', '==', Number.NaN))).toEqual(['nan']);
      expect(await ids(readings().where('v', '>=', Number.NEGATIVE_INFINITY))).toEqual(['low', 'one']);
      expect(await ids(readings().where('v', '<', 2))).toEqual(['low', 'one']);
    });

    // != NaN excludes NaN, null and missing fields; != / not-in a number keep NaN; a NaN in an in or not-in
    // list equals nothing (as Google's emulator answers; only == NaN matches NaN).
    it('!= NaN and not-in: only == NaN matches NaN, a NaN in a list equals nothing', async () => {
      expect(await ids(readings().where('v', '!=', Number.NaN))).toEqual(['low', 'one', 'text']);
      expect(await ids(readings().where('v', '!=', 1))).toEqual(['nan', 'low', 'text']);
      expect(await ids(readings().where('v', 'not-in', [1]))).toEqual(['nan', 'low', 'text']);
      expect(await ids(readings().where('v', 'not-in', [Number.NaN]))).toEqual(['nan', 'low', 'one', 'text']);
      expect(await ids(readings().where('v', 'in', [Number.NaN, 1]))).toEqual(['one']);
    });
  });

  // "All fields that are required to be in the order_by but are not already present are appended in
  // lexicographical ordering of the field name"; "WHERE __name__ > ... AND a > 1 becomes ... ORDER BY a ASC,
  // __name__ ASC" (google.firestore.v1.StructuredQuery.order_by).
  it('several inequality filters, one on the document id: ordered by the fields lexicographically, __name__ last', async () => {
    await seed(fixture.db, 'places', {
      a: { population: 5, density: 2 },
      b: { population: 3, density: 1 },
      c: { population: 4, density: 2 },
      d: { population: 9, density: 9 },
      e: { population: 1, density: 1 },
    });
    const places = fixture.db.collection('places');
    const query = places
      .where('population', '>', 2)
      .where('density', '<', 5)
      .where(FieldPath.documentId(), '!=', 'zzz');
    expect(await ids(query)).toEqual(['b', 'c', 'a']);
    expect(await ids(query.orderBy('population', 'desc'))).toEqual(['a', 'c', 'b']);
    expect(await ids(places.where(FieldPath.documentId(), '<', 'e').where('density', '>', 0))).toEqual([
      'b',
      'a',
      'c',
      'd',
    ]);
  });
});
