import { AggregateField, type Firestore } from '@google-cloud/firestore';
import { DATABASE, describeConformance } from './emulator-fixture';

/** What a REST call answered: its HTTP status and JSON body. */
interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
}

interface GoogleJsonError {
  readonly error: { readonly code: number; readonly message: string; readonly status: string };
}

const DOCUMENTS = `${DATABASE}/documents`;

/*
 * Firestore's REST API (https://cloud.google.com/firestore/docs/reference/rest) on the emulator's gRPC
 * port, as Google's emulator serves it; and the SDK's REST transport (`preferRest`) over it.
 */
describeConformance('Firestore emulator: REST API on the gRPC port', (fixture, it) => {
  async function rest(method: string, path: string, body?: object): Promise<RestAnswer> {
    const response = await fetch(`http://${fixture.address}/v1/${path}`, {
      method,
      // Google's emulator answers 404 to a POST without a JSON content type, and requires the emulator's
      // admin token (the one the SDKs send) for batchWrite.
      headers: { 'content-type': 'application/json', authorization: 'Bearer owner' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  /**
   * An SDK client that prefers REST. With ssl off the SDK sends `Bearer owner` to emulators over gRPC, but
   * its REST transport asks google-auth-library for credentials first (googleapis/nodejs-firestore#1811),
   * so the client gets an auth object that supplies that header.
   */
  function restClient(): Firestore {
    return fixture.client({
      preferRest: true,
      auth: { getRequestHeaders: async () => ({ Authorization: 'Bearer owner' }) },
    });
  }

  function googleError(answer: RestAnswer): GoogleJsonError['error'] {
    return (answer.body as GoogleJsonError).error;
  }

  it('documents: create, get, patch with an update mask, list and delete, in proto3 JSON', async () => {
    const created = await rest('POST', `${DOCUMENTS}/rooms?documentId=r1`, {
      fields: { name: { stringValue: 'Hall' }, seats: { integerValue: '120' }, open: { booleanValue: true } },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      name: `${DOCUMENTS}/rooms/r1`,
      fields: { name: { stringValue: 'Hall' }, seats: { integerValue: '120' }, open: { booleanValue: true } },
      createTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      updateTime: expect.stringMatching(/Z$/),
    });

    const patched = await rest(
      'PATCH',
      `${DOCUMENTS}/rooms/r1?updateMask.fieldPaths=seats&updateMask.fieldPaths=floor&mask.fieldPaths=seats`,
      { fields: { seats: { integerValue: '80' }, floor: { nullValue: null } } },
    );
    expect(patched.status).toBe(200);
    expect((patched.body as { fields: object }).fields).toEqual({ seats: { integerValue: '80' } });

    const got = await rest('GET', `${DOCUMENTS}/rooms/r1`);
    expect((got.body as { fields: object }).fields).toEqual({
      name: { stringValue: 'Hall' },
      seats: { integerValue: '80' },
      open: { booleanValue: true },
      floor: { nullValue: null },
    });

    await rest('POST', `${DOCUMENTS}/rooms?documentId=r2`, { fields: {} });
    const listed = await rest('GET', `${DOCUMENTS}/rooms?pageSize=1`);
    const page = listed.body as { documents: { name: string }[]; nextPageToken: string };
    expect(page.documents.map((d) => d.name)).toEqual([`${DOCUMENTS}/rooms/r1`]);
    expect(page.nextPageToken).toEqual(expect.any(String));

    expect(await rest('DELETE', `${DOCUMENTS}/rooms/r1`)).toEqual({ status: 200, body: {} });
    expect((await rest('GET', `${DOCUMENTS}/rooms/r1`)).status).toBe(404);
  });

  it('create without a documentId picks a 20-character id', async () => {
    const created = await rest('POST', `${DOCUMENTS}/rooms`, { fields: { a: { integerValue: '1' } } });
    expect(created.status).toBe(200);
    expect((created.body as { name: string }).name).toMatch(/\/documents\/rooms\/[A-Za-z0-9]{20}$/);
  });

  it('errors are Google JSON errors with the HTTP status of their code', async () => {
    const missing = await rest('GET', `${DOCUMENTS}/rooms/none`);
    expect(missing.status).toBe(404);
    expect(googleError(missing)).toEqual({ code: 404, status: 'NOT_FOUND', message: expect.any(String) });

    await rest('POST', `${DOCUMENTS}/rooms?documentId=r1`, { fields: {} });
    const again = await rest('POST', `${DOCUMENTS}/rooms?documentId=r1`, { fields: {} });
    expect(again.status).toBe(409);
    expect(googleError(again)).toMatchObject({ code: 409, status: 'ALREADY_EXISTS' });

    const stale = await rest(
      'DELETE',
      `${DOCUMENTS}/rooms/r1?currentDocument.updateTime=2001-01-01T00:00:00Z`,
    );
    expect(stale.status).toBe(400);
    expect(googleError(stale)).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION' });

    const unknownField = await rest('POST', `${DOCUMENTS}:runQuery`, {
      structuredQuery: { from: [{ collectionId: 'rooms' }] },
      bogus: 1,
    });
    expect(unknownField.status).toBe(400);
    expect(googleError(unknownField)).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
  });

  it('runQuery, runAggregationQuery and batchGet answer a JSON array of their stream', async () => {
    for (const [id, seats] of [
      ['a', '10'],
      ['b', '50'],
      ['c', '90'],
    ]) {
      await rest('POST', `${DOCUMENTS}/rooms?documentId=${id}`, {
        fields: { seats: { integerValue: seats } },
      });
    }
    const query = await rest('POST', `${DOCUMENTS}:runQuery`, {
      structuredQuery: {
        from: [{ collectionId: 'rooms' }],
        where: {
          fieldFilter: { field: { fieldPath: 'seats' }, op: 'GREATER_THAN', value: { integerValue: '20' } },
        },
        orderBy: [{ field: { fieldPath: 'seats' }, direction: 'DESCENDING' }],
      },
    });
    expect(query.status).toBe(200);
    const rows = query.body as { document?: { name: string }; readTime: string }[];
    expect(rows.map((row) => row.document?.name)).toEqual([`${DOCUMENTS}/rooms/c`, `${DOCUMENTS}/rooms/b`]);
    expect(rows.every((row) => typeof row.readTime === 'string')).toBe(true);

    const aggregation = await rest('POST', `${DOCUMENTS}:runAggregationQuery`, {
      structuredAggregationQuery: {
        structuredQuery: { from: [{ collectionId: 'rooms' }] },
        aggregations: [
          { alias: 'n', count: {} },
          { alias: 'seats', sum: { field: { fieldPath: 'seats' } } },
        ],
      },
    });
    const aggregated = aggregation.body as { result?: object; readTime?: string }[];
    expect(aggregated).toHaveLength(1);
    expect(aggregated[0]?.result).toEqual({
      aggregateFields: { n: { integerValue: '3' }, seats: { integerValue: '150' } },
    });
    expect(aggregated[0]?.readTime).toEqual(expect.any(String));

    const batch = await rest('POST', `${DATABASE}/documents:batchGet`, {
      documents: [`${DOCUMENTS}/rooms/a`, `${DOCUMENTS}/rooms/zz`],
    });
    const answers = batch.body as { found?: { name: string }; missing?: string }[];
    expect(answers.map((a) => a.found?.name ?? a.missing).sort()).toEqual([
      `${DOCUMENTS}/rooms/a`,
      `${DOCUMENTS}/rooms/zz`,
    ]);
  });

  it('beginTransaction, commit and rollback: base64 transaction ids, writes applied at commit', async () => {
    const begun = await rest('POST', `${DATABASE}/documents:beginTransaction`, {});
    const { transaction } = begun.body as { transaction: string };
    expect(transaction).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const read = await rest('POST', `${DATABASE}/documents:batchGet`, {
      documents: [`${DOCUMENTS}/rooms/t`],
      transaction,
    });
    expect((read.body as { missing?: string }[])[0]?.missing).toBe(`${DOCUMENTS}/rooms/t`);
    const committed = await rest('POST', `${DATABASE}/documents:commit`, {
      transaction,
      writes: [{ update: { name: `${DOCUMENTS}/rooms/t`, fields: { v: { doubleValue: 1.5 } } } }],
    });
    expect(committed.body).toEqual({
      writeResults: [{ updateTime: expect.any(String) }],
      commitTime: expect.any(String),
    });
    const reused = await rest('POST', `${DATABASE}/documents:commit`, { transaction, writes: [] });
    expect(reused.status).toBe(400);

    const other = (await rest('POST', `${DATABASE}/documents:beginTransaction`, {})).body as {
      transaction: string;
    };
    expect(await rest('POST', `${DATABASE}/documents:rollback`, { transaction: other.transaction })).toEqual({
      status: 200,
      body: {},
    });
    const got = await rest('GET', `${DOCUMENTS}/rooms/t`);
    expect((got.body as { fields: object }).fields).toEqual({ v: { doubleValue: 1.5 } });
  });

  it('batchWrite applies each write on its own, with a status per write', async () => {
    const answer = await rest('POST', `${DATABASE}/documents:batchWrite`, {
      writes: [
        { update: { name: `${DOCUMENTS}/rooms/w1`, fields: {} } },
        { delete: `${DOCUMENTS}/rooms/none`, currentDocument: { exists: true } },
      ],
    });
    const { status } = answer.body as { status: { code?: number }[] };
    expect(status[0]?.code ?? 0).toBe(0);
    expect(status[1]?.code).toBe(5);
    expect((await rest('GET', `${DOCUMENTS}/rooms/w1`)).status).toBe(200);
  });

  it('the SDK with preferRest writes, reads, queries, counts and runs contending transactions', async () => {
    const db = restClient();
    const counter = db.collection('counters').doc('c');
    await counter.set({ n: 0, at: new Date('2026-01-02T03:04:05.678Z'), bytes: Buffer.from('hi') });
    await Promise.all(
      Array.from({ length: 4 }, () =>
        db.runTransaction(async (tx) => {
          const snapshot = await tx.get(counter);
          tx.update(counter, { n: (snapshot.get('n') as number) + 1 });
        }),
      ),
    );
    const snapshot = await counter.get();
    expect(snapshot.get('n')).toBe(4);
    expect(snapshot.get('at').toDate()).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    expect(snapshot.get('bytes')).toEqual(Buffer.from('hi'));
    expect((await db.collection('counters').where('n', '>=', 4).get()).size).toBe(1);
    expect(
      (
        await db
          .collection('counters')
          .aggregate({ n: AggregateField.sum('n') })
          .get()
      ).data(),
    ).toEqual({ n: 4 });
    // The same port keeps serving gRPC clients.
    expect((await fixture.db.doc('counters/c').get()).get('n')).toBe(4);
  });
});
