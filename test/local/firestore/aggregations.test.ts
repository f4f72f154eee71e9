import { AggregateField } from '@google-cloud/firestore';
import { DATABASE, describeConformance } from './emulator-fixture';

describeConformance('Firestore emulator: aggregation queries', (fixture, it) => {
  beforeEach(async () => {
    const batch = fixture.db.batch();
    const orders = fixture.db.collection('orders');
    batch.set(orders.doc('a'), { amount: 10, status: 'paid' });
    batch.set(orders.doc('b'), { amount: 20, status: 'paid' });
    batch.set(orders.doc('c'), { amount: 2.5, status: 'open' });
    batch.set(orders.doc('d'), { amount: 'n/a', status: 'paid' });
    batch.set(orders.doc('e'), { status: 'paid' });
    await batch.commit();
  });

  it('count() counts the documents the query matches', async () => {
    const orders = fixture.db.collection('orders');
    expect((await orders.count().get()).data().count).toBe(5);
    expect((await orders.where('status', '==', 'paid').count().get()).data().count).toBe(4);
    expect((await orders.where('status', '==', 'nope').count().get()).data().count).toBe(0);
    expect((await orders.limit(2).count().get()).data().count).toBe(2);
  });

  it('sum and average over numeric values only, with aliases; count then counts documents with the field', async () => {
    const snapshot = await fixture.db
      .collection('orders')
      .aggregate({
        total: AggregateField.sum('amount'),
        mean: AggregateField.average('amount'),
        orders: AggregateField.count(),
      })
      .get();
    expect(snapshot.data()).toEqual({ total: 32.5, mean: 32.5 / 3, orders: 4 });
  });

  it('sum of integers is an integer; average of nothing is null', async () => {
    const paid = fixture.db.collection('orders').where('status', '==', 'paid');
    expect((await paid.aggregate({ total: AggregateField.sum('amount') }).get()).data()).toEqual({
      total: 30,
    });
    const snapshot = await paid
      .aggregate({
        missingAverage: AggregateField.average('nothing'),
        missingSum: AggregateField.sum('nothing'),
      })
      .get();
    expect(snapshot.data()).toEqual({ missingAverage: null, missingSum: 0 });
  });

  // "For queries with multiple aggregations, Firestore only considers documents that contain all of the
  // aggregated fields" (https://cloud.google.com/firestore/docs/query-data/aggregation-queries).
  it('an aggregation over several fields considers only the documents that have every aggregated field', async () => {
    const items = fixture.db.collection('items');
    await Promise.all([
      items.doc('both').set({ price: 4, qty: 2 }),
      items.doc('price-only').set({ price: 100 }),
      items.doc('qty-only').set({ qty: 50 }),
      items.doc('neither').set({ name: 'x' }),
    ]);
    const snapshot = await items
      .aggregate({
        price: AggregateField.sum('price'),
        qty: AggregateField.average('qty'),
        n: AggregateField.count(),
      })
      .get();
    expect(snapshot.data()).toEqual({ price: 4, qty: 2, n: 1 });
    expect((await items.aggregate({ n: AggregateField.count() }).get()).data()).toEqual({ n: 4 });
  });

  it('count with up_to stops counting at the bound; unnamed aggregations are numbered among themselves', async () => {
    const responses = await fixture.raw.stream('RunAggregationQuery', {
      parent: `${DATABASE}/documents`,
      structuredAggregationQuery: {
        structuredQuery: { from: [{ collectionId: 'orders' }] },
        aggregations: [
          { alias: 'capped', count: { upTo: { value: '3' } } },
          { count: {} },
          { alias: 'all', count: {} },
        ],
      },
    });
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      result: {
        aggregateFields: {
          capped: { integerValue: '3' },
          field_1: { integerValue: '5' },
          all: { integerValue: '5' },
        },
      },
    });
  });
});
