import { AggregateField } from '@google-cloud/firestore';
import { DATABASE, useFirestoreEmulator } from './emulator-fixture';

const fixture = useFirestoreEmulator();

describe('Firestore emulator: aggregation queries', () => {
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

  it('sum and average over numeric values only, with aliases', async () => {
    const snapshot = await fixture.db
      .collection('orders')
      .aggregate({
        total: AggregateField.sum('amount'),
        mean: AggregateField.average('amount'),
        orders: AggregateField.count(),
      })
      .get();
    expect(snapshot.data()).toEqual({ total: 32.5, mean: 32.5 / 3, orders: 5 });
  });

  it('sum of integers is an integer; average of nothing is null', async () => {
    const paid = fixture.db.collection('orders').where('status', '==', 'paid');
    const snapshot = await paid
      .aggregate({
        total: AggregateField.sum('amount'),
        missingAverage: AggregateField.average('nothing'),
        missingSum: AggregateField.sum('nothing'),
      })
      .get();
    expect(snapshot.data()).toEqual({ total: 30, missingAverage: null, missingSum: 0 });
  });

  it('count with up_to stops counting at the bound', async () => {
    const responses = await fixture.raw.stream('RunAggregationQuery', {
      parent: `${DATABASE}/documents`,
      structuredAggregationQuery: {
        structuredQuery: { from: [{ collectionId: 'orders' }] },
        aggregations: [
          { alias: 'capped', count: { upTo: { value: '3' } } },
          { alias: 'all', count: {} },
          { sum: { field: { fieldPath: 'amount' } } },
        ],
      },
    });
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      result: {
        aggregateFields: {
          capped: { integerValue: '3' },
          all: { integerValue: '5' },
          field_3: { doubleValue: 32.5 },
        },
      },
    });
  });
});
