import { DocumentReference, type DocumentSnapshot, type Transaction } from 'firebase-admin/firestore';

interface PendingRead {
  readonly ref: DocumentReference;
  readonly resolve: (snapshot: DocumentSnapshot) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A view of `tx` whose single-document reads (`get` of a document reference) issued in the same turn of the
 * event loop go out together as one `getAll`: one request and one round trip instead of one each. The first
 * read of a transaction also starts it, and the SDK holds every other read back until that one returns, so
 * reads that are independent of each other otherwise cost a round trip more than they need to. Everything
 * else (queries, `getAll`, writes) goes to `tx` unchanged. Callers pass the view to repositories that read
 * with `tx.get`, which then need no knowledge of the batching.
 */
export function coalescingReads(tx: Transaction): Transaction {
  let pending: PendingRead[] = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    tx.getAll(...batch.map((read) => read.ref)).then(
      (snapshots) => batch.forEach((read, index) => read.resolve(snapshots[index] as DocumentSnapshot)),
      (error: unknown) => batch.forEach((read) => read.reject(error)),
    );
  };
  const readDocument = (ref: DocumentReference): Promise<DocumentSnapshot> =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) queueMicrotask(flush);
      pending.push({ ref, resolve, reject });
    });
  return new Proxy(tx, {
    get(target, property) {
      if (property === 'get') {
        return (refOrQuery: Parameters<Transaction['get']>[0]) =>
          refOrQuery instanceof DocumentReference ? readDocument(refOrQuery) : target.get(refOrQuery);
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
