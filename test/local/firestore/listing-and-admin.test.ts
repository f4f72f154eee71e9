import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { status } from '@grpc/grpc-js';
import { Firestore } from '@google-cloud/firestore';
import { resetFirestoreEmulator } from '../../../local/firestore/admin-client';
import { DATABASE, describeConformance, failureOf, PROJECT_ID } from './emulator-fixture';

describeConformance(
  'Firestore emulator: listing, bulk writes and administration',
  (fixture, it) => {
    async function seedTree(db: Firestore) {
      await db.doc('users/alice').set({ name: 'Alice' });
      await db.doc('users/alice/orders/o1').set({ total: 1 });
      await db.doc('users/alice/orders/o1/lines/l1').set({ qty: 1 });
      await db.doc('users/alice/payments/p1').set({ ok: true });
      await db.doc('users/bob/orders/o2').set({ total: 2 });
      await db.doc('events/e1').set({ title: 'Gig' });
    }

    it('listCollections at the root and under a document', async () => {
      await seedTree(fixture.db);
      expect((await fixture.db.listCollections()).map((c) => c.id)).toEqual(['events', 'users']);
      const alice = await fixture.db.doc('users/alice').listCollections();
      expect(alice.map((c) => c.id)).toEqual(['orders', 'payments']);
      expect(await fixture.db.doc('users/bob').listCollections()).toHaveLength(1);
      expect(await fixture.db.doc('users/nobody').listCollections()).toEqual([]);
    });

    it('listDocuments includes missing documents that have subcollections', async () => {
      await seedTree(fixture.db);
      const refs = await fixture.db.collection('users').listDocuments();
      expect(refs.map((r) => r.id)).toEqual(['alice', 'bob']);
      expect((await fixture.db.doc('users/bob').get()).exists).toBe(false);
    });

    it('ListDocuments pages with page_size and page_token', async () => {
      await Promise.all(['a', 'b', 'c'].map((id) => fixture.db.doc(`pages/${id}`).set({ id })));
      const first = (await fixture.raw.unary('ListDocuments', {
        parent: `${DATABASE}/documents`,
        collectionId: 'pages',
        pageSize: 2,
      })) as { nextPageToken?: string };
      expect(first).toMatchObject({
        documents: [{ name: `${DATABASE}/documents/pages/a` }, { name: `${DATABASE}/documents/pages/b` }],
      });
      // The token is opaque: Google's emulator encodes more than the last document's id.
      expect(first.nextPageToken).toEqual(expect.any(String));
      const second = (await fixture.raw.unary('ListDocuments', {
        parent: `${DATABASE}/documents`,
        collectionId: 'pages',
        pageSize: 2,
        pageToken: first.nextPageToken,
      })) as { nextPageToken?: string };
      expect(second).toMatchObject({ documents: [{ name: `${DATABASE}/documents/pages/c` }] });
      // No token (or an empty one) on the last page.
      expect(second.nextPageToken ?? '').toBe('');
    });

    it('recursiveDelete removes a document and everything below it', async () => {
      await seedTree(fixture.db);
      await fixture.db.recursiveDelete(fixture.db.doc('users/alice'));
      expect((await fixture.db.doc('users/alice').get()).exists).toBe(false);
      expect((await fixture.db.doc('users/alice/orders/o1/lines/l1').get()).exists).toBe(false);
      expect(await fixture.db.doc('users/alice').listCollections()).toEqual([]);
      expect((await fixture.db.doc('users/bob/orders/o2').get()).exists).toBe(true);
      await fixture.db.recursiveDelete(fixture.db.collection('users'));
      expect((await fixture.db.listCollections()).map((c) => c.id)).toEqual(['events']);
    });

    it('BulkWriter (BatchWrite) applies writes independently, with a status per write', async () => {
      await fixture.db.doc('bulk/exists').set({ n: 0 });
      const writer = fixture.db.bulkWriter();
      writer.onWriteError(() => false);
      const created = writer.create(fixture.db.doc('bulk/new'), { n: 1 });
      const failed = writer.create(fixture.db.doc('bulk/exists'), { n: 2 });
      const updated = writer.update(fixture.db.doc('bulk/exists'), { n: 3 });
      await writer.close();
      await expect(created).resolves.toBeDefined();
      expect((await failureOf(failed)).code).toBe(status.ALREADY_EXISTS);
      await expect(updated).resolves.toBeDefined();
      expect((await fixture.db.doc('bulk/new').get()).get('n')).toBe(1);
      expect((await fixture.db.doc('bulk/exists').get()).get('n')).toBe(3);
    });

    it('keeps projects and databases apart', async () => {
      const other = fixture.client({ projectId: 'demo-other' });
      const named = fixture.client({ databaseId: 'second' });
      await fixture.db.doc('shared/doc').set({ where: 'default' });
      await other.doc('shared/doc').set({ where: 'other project' });
      await named.doc('shared/doc').set({ where: 'named database' });
      expect((await fixture.db.doc('shared/doc').get()).get('where')).toBe('default');
      expect((await other.doc('shared/doc').get()).get('where')).toBe('other project');
      expect((await named.doc('shared/doc').get()).get('where')).toBe('named database');
    });

    it('resetFirestoreEmulator wipes everything, or one database only', async () => {
      const named = fixture.client({ databaseId: 'second' });
      await fixture.db.doc('keep/doc').set({ n: 1 });
      await named.doc('wipe/doc').set({ n: 1 });
      await resetFirestoreEmulator(fixture.emulator.address, `projects/${PROJECT_ID}/databases/second`);
      expect((await named.doc('wipe/doc').get()).exists).toBe(false);
      expect((await fixture.db.doc('keep/doc').get()).exists).toBe(true);
      await resetFirestoreEmulator(fixture.emulator.address);
      expect((await fixture.db.doc('keep/doc').get()).exists).toBe(false);
    });

    it('answers UNIMPLEMENTED for RPCs it does not emulate', async () => {
      const error = await failureOf(
        fixture.raw.stream('PartitionQuery', { parent: `${DATABASE}/documents`, partitionCount: '2' }),
      );
      expect(error.code).toBe(status.UNIMPLEMENTED);
    });

    it('GetDocument, CreateDocument, UpdateDocument and DeleteDocument over gRPC', async () => {
      const missing = await failureOf(
        fixture.raw.unary('GetDocument', { name: `${DATABASE}/documents/a/b` }),
      );
      expect(missing.code).toBe(status.NOT_FOUND);
      const created = await fixture.raw.unary('CreateDocument', {
        parent: `${DATABASE}/documents`,
        collectionId: 'a',
        documentId: 'b',
        document: { fields: { n: { integerValue: '1' } } },
      });
      expect(created).toMatchObject({
        name: `${DATABASE}/documents/a/b`,
        fields: { n: { integerValue: '1' } },
      });
      const again = await failureOf(
        fixture.raw.unary('CreateDocument', {
          parent: `${DATABASE}/documents`,
          collectionId: 'a',
          documentId: 'b',
        }),
      );
      expect(again.code).toBe(status.ALREADY_EXISTS);
      await fixture.raw.unary('UpdateDocument', {
        document: { name: `${DATABASE}/documents/a/b`, fields: { m: { stringValue: 'x' } } },
        updateMask: { fieldPaths: ['m'] },
      });
      expect((await fixture.db.doc('a/b').get()).data()).toEqual({ n: 1, m: 'x' });
      await fixture.raw.unary('DeleteDocument', { name: `${DATABASE}/documents/a/b` });
      expect((await fixture.db.doc('a/b').get()).exists).toBe(false);
    });

    it('rejects malformed names with INVALID_ARGUMENT', async () => {
      const error = await failureOf(fixture.raw.unary('Commit', { database: 'not-a-database', writes: [] }));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
    });

    it('runs as a CLI: prints the ready line, serves, and exits cleanly on SIGTERM', async () => {
      const root = path.resolve(__dirname, '../../..');
      const child = spawn(
        process.execPath,
        [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'local/firestore/main.ts', '--port', '0'],
        { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const lines = createInterface({ input: child.stdout });
      const [firstLine] = await new Promise<string[]>((resolve) =>
        lines.once('line', (line) => resolve([line])),
      );
      const address = /^firestore emulator ready on (127\.0\.0\.1:\d+)$/.exec(firstLine ?? '')?.[1];
      expect(address).toBeDefined();
      const [host, port] = (address ?? '').split(':');
      const db = new Firestore({
        host,
        port: Number(port),
        ssl: false,
        projectId: PROJECT_ID,
        preferRest: false,
      });
      await db.doc('cli/doc').set({ n: 1 });
      await resetFirestoreEmulator(address ?? '');
      expect((await db.doc('cli/doc').get()).exists).toBe(false);
      await db.terminate();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    });
  },
  {
    notOnGoogle: {
      'resetFirestoreEmulator wipes everything, or one database only':
        "our emulator's own admin RPC (Google's emulator resets through DELETE /emulator/v1/.../documents instead)",
      'answers UNIMPLEMENTED for RPCs it does not emulate':
        "pins an RPC our emulator leaves out (PartitionQuery: the app never partitions queries); Google's emulator implements it",
      'runs as a CLI: prints the ready line, serves, and exits cleanly on SIGTERM':
        "starts our emulator's command line",
    },
  },
);
