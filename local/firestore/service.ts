import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  Metadata,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { aggregate, parseAggregations } from './aggregation';
import { Clock, fromWireTimestamp, type Micros, pastReadTime, toWireTimestamp } from './clock';
import { contention, FirestoreError, invalidArgument, toStatus } from './errors';
import { encodeDocument } from './documents';
import { explainMetrics } from './explain';
import { type CommitFault, CommitFaultInjector, commitFaultSchema } from './faults';
import { type FieldPath, parseFieldPath } from './field-paths';
import { ListenHub } from './listen';
import { LockManager, type LockOwner } from './locks';
import {
  compareSegments,
  isDescendant,
  parseDatabaseName,
  parseDocumentName,
  parseDocumentNameIn,
  parseParentName,
  type ResourcePath,
  resourceName,
} from './paths';
import { executeQuery, parseQuery, projectResult, type Query } from './query';
import { type DatabaseStore, Store, type StoredDocument } from './store';
import { compareUtf8 } from './strings';
import { Transaction, TransactionRegistry } from './transactions';
import { assertUnchangedSinceRead } from './isolation';
import { encodeValue } from './values';
import type * as wire from './wire';
import { applyWrites, installWrites, type ParsedWrite, parseWrite } from './writes';

/** Behaviour knobs of the emulator (see server.ts for their defaults). */
export interface EmulatorSettings {
  /** Extra time every commit holds its locks before applying, to model production commit latency. */
  readonly commitLatencyMs: number;
  /** A transaction unused for this long expires and loses its locks. */
  readonly transactionIdleTimeoutMs: number;
  /** The longest any request waits for a lock before failing with ABORTED. */
  readonly lockWaitTimeoutMs: number;
  /** Commit failures to inject from the start; none by default. */
  readonly commitFaults?: readonly CommitFault[];
}

/** Firestore bills an aggregation one read per batch of up to 1 000 index entries (pricing page). */
const AGGREGATION_ENTRIES_PER_READ = 1_000;

/** A query that keeps changing while its results are being locked gives up after this many rounds. */
const QUERY_LOCK_ROUNDS = 5;

/** How a read sees the data: at a snapshot, or at the latest state under a read-write transaction's locks. */
interface ReadScope {
  readonly readTime?: Micros;
  readonly locking?: Transaction;
  /** A transaction this read started (new_transaction): its id goes back in the first response. */
  readonly started?: Transaction;
}

function unary<Request, Response>(
  handler: (request: Request) => Promise<Response> | Response,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toStatus(error)),
      );
  };
}

/**
 * A server-streaming RPC. Firestore sends its response headers before anything else, also when the call
 * then fails; a status without headers ("trailers-only") is what a client sees when the server could not
 * be reached at all, and the Node.js client libraries retry such calls after seconds of backoff (google-gax
 * hands server-streaming calls to retry-request, which retries an error that arrives before any response).
 */
function serverStreaming<Request, Response>(
  handler: (request: Request, send: (response: Response) => void) => Promise<void>,
): handleServerStreamingCall<Request, Response> {
  return (call) => {
    call.sendMetadata(new Metadata());
    handler(call.request, (response) => call.write(response)).then(
      () => call.end(),
      (error: unknown) => call.emit('error', toStatus(error)),
    );
  };
}

function parseMask(mask: wire.WireDocumentMask | undefined): FieldPath[] | undefined {
  return mask ? (mask.fieldPaths ?? []).map(parseFieldPath) : undefined;
}

/** One google.firestore.v1.Firestore RPC, whatever transport carries it (gRPC, or REST in rest.ts). */
export type FirestoreRpc =
  | { readonly streaming: false; readonly handle: (request: object) => Promise<object> }
  | {
      readonly streaming: true;
      readonly handle: (request: object, send: (response: object) => void) => Promise<void>;
    };

/*
 * The casts below are the transport boundary: every transport decodes a request with the RPC's own
 * message type (the SDK's protos) before it reaches the handler, which wire.ts describes.
 */
function unaryRpc<Request>(handle: (request: Request) => Promise<object> | object): FirestoreRpc {
  return { streaming: false, handle: async (request) => handle(request as Request) };
}

function streamingRpc<Request, Response extends object>(
  handle: (request: Request, send: (response: Response) => void) => Promise<void>,
): FirestoreRpc {
  return { streaming: true, handle: (request, send) => handle(request as Request, send) };
}

/** Firestore's automatic ids: 20 characters from [A-Za-z0-9]. */
function autoId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(20)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** Pages through items sorted by `compare` on their keys: the token is the last key of the previous page. */
function page<T>(
  items: readonly T[],
  key: (item: T) => string,
  compare: (a: string, b: string) => number,
  size = 0,
  token = '',
): { items: T[]; next: string } {
  const start = token ? items.findIndex((item) => compare(key(item), token) > 0) : 0;
  const rest = start < 0 ? [] : items.slice(start);
  if (size <= 0 || rest.length <= size) return { items: rest, next: '' };
  const pageItems = rest.slice(0, size);
  const last = pageItems.at(-1);
  return { items: pageItems, next: last === undefined ? '' : key(last) };
}

/** The google.firestore.v1.Firestore RPCs over an in-memory, multi-version, pessimistically locked store. */
export class FirestoreEmulatorService {
  private readonly clock = new Clock();
  private readonly store = new Store();
  private readonly locks: LockManager;
  private readonly transactions: TransactionRegistry;
  private readonly faults = new CommitFaultInjector();
  private readonly listen = new ListenHub(this.store, this.clock);

  constructor(private readonly settings: EmulatorSettings) {
    this.locks = new LockManager(settings.lockWaitTimeoutMs);
    this.transactions = new TransactionRegistry(this.locks, this.clock, settings.transactionIdleTimeoutMs);
    this.faults.configure(settings.commitFaults ?? []);
  }

  /** The RPCs of google.firestore.v1.Firestore this emulator serves, by method name (Listen aside). */
  rpcs(): Readonly<Record<string, FirestoreRpc>> {
    return {
      GetDocument: unaryRpc((request: wire.GetDocumentRequest) => this.getDocument(request)),
      CreateDocument: unaryRpc((request: wire.CreateDocumentRequest) => this.createDocument(request)),
      UpdateDocument: unaryRpc((request: wire.UpdateDocumentRequest) => this.updateDocument(request)),
      DeleteDocument: unaryRpc((request: wire.DeleteDocumentRequest) => this.deleteDocument(request)),
      BatchGetDocuments: streamingRpc((request: wire.BatchGetDocumentsRequest, send) =>
        this.batchGetDocuments(request, send),
      ),
      BeginTransaction: unaryRpc((request: wire.BeginTransactionRequest) => this.beginTransaction(request)),
      Commit: unaryRpc((request: wire.CommitRequest) => this.commit(request)),
      Rollback: unaryRpc((request: wire.RollbackRequest) => this.rollback(request)),
      RunQuery: streamingRpc((request: wire.RunQueryRequest, send) => this.runQuery(request, send)),
      RunAggregationQuery: streamingRpc((request: wire.RunAggregationQueryRequest, send) =>
        this.runAggregationQuery(request, send),
      ),
      ListDocuments: unaryRpc((request: wire.ListDocumentsRequest) => this.listDocuments(request)),
      ListCollectionIds: unaryRpc((request: wire.ListCollectionIdsRequest) =>
        this.listCollectionIds(request),
      ),
      BatchWrite: unaryRpc((request: wire.BatchWriteRequest) => this.batchWrite(request)),
    };
  }

  /** Handlers for google.firestore.v1.Firestore; RPCs not listed answer UNIMPLEMENTED. */
  firestoreHandlers(): UntypedServiceImplementation {
    const handlers: UntypedServiceImplementation = { Listen: this.listen.handler };
    for (const [name, rpc] of Object.entries(this.rpcs())) {
      handlers[name] = rpc.streaming ? serverStreaming(rpc.handle) : unary(rpc.handle);
    }
    return handlers;
  }

  /** Handlers for eventmanager.emulator.EmulatorAdmin. */
  adminHandlers(): UntypedServiceImplementation {
    return {
      Reset: unary((request: wire.ResetRequest) => {
        this.reset(request.database ? parseDatabaseName(request.database) : undefined);
        return {};
      }),
      SetCommitFaults: unary((request: wire.SetCommitFaultsRequest) => {
        const parsed = commitFaultSchema.array().safeParse(request.faults ?? []);
        if (!parsed.success) throw invalidArgument(`Invalid commit faults: ${parsed.error.message}`);
        return this.faults.configure(parsed.data, request.scope ?? '');
      }),
    };
  }

  /** Deletes the documents of one database (all when undefined) and aborts its open transactions. */
  reset(database?: string): void {
    this.transactions.reset(database);
    this.store.reset(database);
    this.listen.reset(database);
  }

  private openScope(database: string, request: wire.WireConsistency): ReadScope {
    switch (request.consistencySelector) {
      case 'transaction': {
        const transaction = this.transactions.use(database, request.transaction);
        return transaction.readOnly ? { readTime: transaction.readTime } : { locking: transaction };
      }
      case 'newTransaction': {
        const transaction = this.transactions.begin(database, request.newTransaction);
        return transaction.readOnly
          ? { readTime: transaction.readTime, started: transaction }
          : { locking: transaction, started: transaction };
      }
      case 'readTime':
        return { readTime: pastReadTime(request.readTime ?? {}, this.clock) };
      default:
        return {};
    }
  }

  /** Runs a read in its scope; a transaction the read started dies with it if the read fails. */
  private async read(
    database: string,
    request: wire.WireConsistency,
    body: (scope: ReadScope) => Promise<void>,
  ): Promise<void> {
    const scope = this.openScope(database, request);
    try {
      await body(scope);
    } catch (error) {
      if (scope.started) this.transactions.discard(scope.started);
      throw error;
    }
  }

  private async lockForRead(transaction: Transaction, names: readonly string[]): Promise<void> {
    for (const name of names) await this.locks.acquireShared(transaction, name);
    if (transaction.state !== 'active') throw contention();
  }

  private async batchGetDocuments(
    request: wire.BatchGetDocumentsRequest,
    send: (response: wire.BatchGetDocumentsResponse) => void,
  ): Promise<void> {
    const database = parseDatabaseName(request.database);
    const documents = (request.documents ?? []).map((name) => ({
      name,
      path: parseDocumentNameIn(database, name),
    }));
    const mask = parseMask(request.mask);
    await this.read(database, request, async (scope) => {
      if (scope.locking)
        await this.lockForRead(
          scope.locking,
          documents.map((d) => d.name),
        );
      const store = this.store.database(database);
      const readTime = toWireTimestamp(scope.readTime ?? this.clock.now());
      let transaction = scope.started?.id;
      for (const { name, path } of documents) {
        const document = store.get(path, scope.readTime);
        scope.locking?.readVersions.set(name, document?.updateTime);
        send(
          document
            ? { found: encodeDocument(database, document, mask), transaction, readTime }
            : { missing: name, transaction, readTime },
        );
        transaction = undefined;
      }
      if (transaction) send({ transaction, readTime });
    });
  }

  /** GetDocument: BatchGetDocuments of one name, NOT_FOUND when it does not exist. */
  private async getDocument(request: wire.GetDocumentRequest): Promise<wire.WireDocument> {
    const { database } = parseDocumentName(request.name);
    let found: wire.WireDocument | undefined;
    await this.batchGetDocuments({ ...request, database, documents: [request.name ?? ''] }, (response) => {
      found ??= response.found;
    });
    if (!found) throw new FirestoreError(status.NOT_FOUND, `Document (${request.name ?? ''}) not found.`);
    return found;
  }

  /** The document a commit just wrote, as of that commit. */
  private committedDocument(
    database: string,
    name: string,
    response: wire.CommitResponse,
    mask: wire.WireDocumentMask | undefined,
  ): wire.WireDocument {
    const path = parseDocumentNameIn(database, name);
    const document = this.store.database(database).get(path, fromWireTimestamp(response.commitTime));
    if (!document) throw new FirestoreError(status.NOT_FOUND, `Document (${name}) not found.`);
    return encodeDocument(database, document, parseMask(mask));
  }

  /** CreateDocument: a Commit of one write that requires the document not to exist. */
  private async createDocument(request: wire.CreateDocumentRequest): Promise<wire.WireDocument> {
    const { database, path: parent } = parseParentName(request.parent);
    if (!request.collectionId) throw invalidArgument('collection_id is required.');
    const name = resourceName(database, [...parent, request.collectionId, request.documentId || autoId()]);
    const response = await this.commit({
      database,
      writes: [
        {
          operation: 'update',
          update: { fields: request.document?.fields, name },
          currentDocument: { conditionType: 'exists', exists: false },
        },
      ],
    });
    return this.committedDocument(database, name, response, request.mask);
  }

  /** UpdateDocument: a Commit of one write (an upsert unless `currentDocument` says otherwise). */
  private async updateDocument(request: wire.UpdateDocumentRequest): Promise<wire.WireDocument> {
    const name = request.document?.name ?? '';
    const { database } = parseDocumentName(name);
    const response = await this.commit({
      database,
      writes: [
        {
          operation: 'update',
          update: request.document,
          updateMask: request.updateMask,
          currentDocument: request.currentDocument,
        },
      ],
    });
    return this.committedDocument(database, name, response, request.mask);
  }

  /** DeleteDocument: a Commit of one delete. */
  private async deleteDocument(request: wire.DeleteDocumentRequest): Promise<object> {
    const { database } = parseDocumentName(request.name);
    await this.commit({
      database,
      writes: [{ operation: 'delete', delete: request.name, currentDocument: request.currentDocument }],
    });
    return {};
  }

  private beginTransaction(request: wire.BeginTransactionRequest): { transaction: Buffer } {
    const database = parseDatabaseName(request.database);
    return { transaction: this.transactions.begin(database, request.options).id };
  }

  private rollback(request: wire.RollbackRequest): object {
    this.transactions.rollback(parseDatabaseName(request.database), request.transaction);
    return {};
  }

  /**
   * A Commit, unless an injected fault fails it: before applying (nothing changes; a transaction stays open
   * for the client's retry or rollback) or after applying (the writes landed, the client sees an error).
   * An injected latency spike waits holding the commit's locks (before applying) or after them.
   */
  private async commit(request: wire.CommitRequest): Promise<wire.CommitResponse> {
    const database = parseDatabaseName(request.database);
    const writes = (request.writes ?? []).map((write) => parseWrite(database, write));
    const { failure, delay: spike } = this.faults.faultsFor(writes.map((write) => write.path.join('/')));
    if (failure?.when === 'before-apply') throw failure.error;
    const response = await this.commitOnce(
      database,
      request,
      writes,
      spike?.when === 'before-apply' ? spike.delayMs : 0,
    );
    if (spike?.when === 'after-apply') await delay(spike.delayMs);
    if (failure !== undefined) throw failure.error;
    return response;
  }

  private async commitOnce(
    database: string,
    request: wire.CommitRequest,
    writes: readonly ParsedWrite[],
    extraLatencyMs: number,
  ): Promise<wire.CommitResponse> {
    if (!request.transaction?.length)
      return this.commitAtomically(database, this.plainWriter(), writes, extraLatencyMs);
    const transaction = this.transactions.use(database, request.transaction);
    if (transaction.readOnly && writes.length > 0) {
      throw invalidArgument('Cannot modify entities in a read-only transaction.');
    }
    this.transactions.beginCommit(transaction);
    try {
      return await this.commitAtomically(database, transaction, writes, extraLatencyMs);
    } finally {
      this.transactions.finish(transaction);
    }
  }

  /** A non-transactional write: it waits for locks (bounded) but never takes them away from anyone. */
  private plainWriter(): LockOwner {
    return {
      priority: this.transactions.nextPriority(),
      canWound: false,
      woundable: false,
      aborted: () => undefined,
    };
  }

  /**
   * Locks every written document, waits the configured latency (plus an injected spike's), then applies
   * all writes or none.
   */
  private async commitAtomically(
    database: string,
    owner: LockOwner,
    writes: readonly ParsedWrite[],
    extraLatencyMs = 0,
  ): Promise<wire.CommitResponse> {
    // Bound before waiting, so a commit that straddles a reset cannot write into the fresh database.
    const store: DatabaseStore = this.store.database(database);
    await this.locks.acquireExclusive(
      owner,
      writes.map((write) => write.name),
    );
    try {
      if (owner instanceof Transaction) assertUnchangedSinceRead(owner, writes, store);
      const latencyMs = this.settings.commitLatencyMs + extraLatencyMs;
      if (latencyMs > 0) await delay(latencyMs);
      const commitTime = this.clock.next();
      const applied = applyWrites(store, writes, commitTime);
      installWrites(store, applied, commitTime);
      this.listen.committed(database, applied.changes.values(), commitTime);
      return { writeResults: applied.results, commitTime: toWireTimestamp(commitTime) };
    } finally {
      this.locks.releaseAll(owner);
    }
  }

  private async batchWrite(request: wire.BatchWriteRequest): Promise<wire.BatchWriteResponse> {
    const database = parseDatabaseName(request.database);
    const writes = (request.writes ?? []).map((write) => parseWrite(database, write));
    const outcomes = await Promise.all(
      writes.map(async (write): Promise<{ result: wire.WireWriteResult; status: wire.WireStatus }> => {
        try {
          const response = await this.commitAtomically(database, this.plainWriter(), [write]);
          const result = response.writeResults[0] ?? { transformResults: [] };
          return { result, status: { code: status.OK, message: '' } };
        } catch (error) {
          if (!(error instanceof FirestoreError)) throw error;
          return { result: { transformResults: [] }, status: { code: error.code, message: error.message } };
        }
      }),
    );
    return { writeResults: outcomes.map((o) => o.result), status: outcomes.map((o) => o.status) };
  }

  /**
   * The documents a query returns in its scope. Under a read-write transaction every returned document is
   * locked, and the query re-runs until its result is stable under those locks.
   */
  private async queryDocuments(query: Query, scope: ReadScope): Promise<StoredDocument[]> {
    const store = this.store.database(query.database);
    const run = () =>
      executeQuery(
        query,
        store.documents(
          query.parent,
          query.collectionId,
          query.allDescendants,
          scope.readTime,
          this.clock.now(),
        ),
      );
    const transaction = scope.locking;
    if (!transaction) return run();
    for (let round = 0; round < QUERY_LOCK_ROUNDS; round++) {
      const documents = run();
      const unlocked = documents
        .map((document) => resourceName(query.database, document.path))
        .filter((name) => !this.locks.holds(transaction, name));
      if (unlocked.length === 0) {
        for (const document of documents)
          transaction.readVersions.set(resourceName(query.database, document.path), document.updateTime);
        return documents;
      }
      await this.lockForRead(transaction, unlocked);
    }
    throw contention();
  }

  private async runQuery(
    request: wire.RunQueryRequest,
    send: (response: wire.RunQueryResponse) => void,
  ): Promise<void> {
    const { database, path: parent } = parseParentName(request.parent);
    const query = parseQuery(database, parent, request.structuredQuery);
    const explain = request.explainOptions;
    await this.read(database, request, async (scope) => {
      if (explain && !explain.analyze) {
        send({ explainMetrics: explainMetrics(query), transaction: scope.started?.id });
        return;
      }
      const startedNs = process.hrtime.bigint();
      const documents = await this.queryDocuments(query, scope);
      const readTime = toWireTimestamp(scope.readTime ?? this.clock.now());
      let transaction = scope.started?.id;
      for (const document of documents) {
        send({ document: encodeDocument(database, projectResult(query, document)), transaction, readTime });
        transaction = undefined;
      }
      if (documents.length === 0 || explain) {
        const figures = {
          resultsReturned: documents.length,
          indexEntriesScanned: documents.length,
          documentsScanned: documents.length,
          readOperations: documents.length,
          startedNs,
        };
        send({ transaction, readTime, explainMetrics: explain ? explainMetrics(query, figures) : undefined });
      }
    });
  }

  private async runAggregationQuery(
    request: wire.RunAggregationQueryRequest,
    send: (response: wire.RunAggregationQueryResponse) => void,
  ): Promise<void> {
    const { database, path: parent } = parseParentName(request.parent);
    const aggregationQuery = request.structuredAggregationQuery;
    const query = parseQuery(database, parent, aggregationQuery?.structuredQuery);
    const aggregations = parseAggregations(aggregationQuery?.aggregations ?? []);
    const explain = request.explainOptions;
    await this.read(database, request, async (scope) => {
      if (explain && !explain.analyze) {
        send({ explainMetrics: explainMetrics(query), transaction: scope.started?.id });
        return;
      }
      const startedNs = process.hrtime.bigint();
      const documents = await this.queryDocuments(query, scope);
      const aggregateFields: Record<string, wire.WireValue> = {};
      for (const [alias, value] of aggregate(aggregations, documents))
        aggregateFields[alias] = encodeValue(value);
      const readTime = toWireTimestamp(scope.readTime ?? this.clock.now());
      const figures = {
        resultsReturned: 1,
        indexEntriesScanned: documents.length,
        documentsScanned: 0,
        readOperations: Math.ceil(documents.length / AGGREGATION_ENTRIES_PER_READ),
        startedNs,
      };
      send({
        result: { aggregateFields },
        transaction: scope.started?.id,
        readTime,
        explainMetrics: explain ? explainMetrics(query, figures) : undefined,
      });
    });
  }

  /** The snapshot of a listing: an explicit read time, a read-only transaction's, or the latest data. */
  private listingReadTime(database: string, request: wire.ListDocumentsRequest): Micros | undefined {
    if (request.consistencySelector === 'readTime') return pastReadTime(request.readTime ?? {}, this.clock);
    if (request.consistencySelector === 'transaction') {
      return this.transactions.use(database, request.transaction).readTime;
    }
    return undefined;
  }

  private listDocuments(request: wire.ListDocumentsRequest): wire.ListDocumentsResponse {
    const { database, path: parent } = parseParentName(request.parent);
    const collectionId = request.collectionId;
    if (!collectionId) throw invalidArgument('collection_id is required.');
    const readTime = this.listingReadTime(database, request);
    const store = this.store.database(database);
    const collection: ResourcePath = [...parent, collectionId];
    const entries = new Map<string, { id: string; document?: StoredDocument }>();
    for (const document of store.documents(parent, collectionId, false, readTime, this.clock.now())) {
      const id = document.path.at(-1) ?? '';
      entries.set(id, { id, document });
    }
    if (request.showMissing) {
      // Documents that do not exist but have subcollections ("missing" documents) are listed by name only.
      for (const path of store.nonEmptyCollections(readTime)) {
        const id = path[collection.length];
        if (id !== undefined && isDescendant(path, collection) && !entries.has(id)) entries.set(id, { id });
      }
    }
    const sorted = [...entries.values()].sort((a, b) => compareSegments(a.id, b.id));
    const mask = parseMask(request.mask);
    const { items, next } = page(
      sorted,
      (entry) => entry.id,
      compareSegments,
      request.pageSize,
      request.pageToken,
    );
    return {
      documents: items.map((entry) =>
        entry.document
          ? encodeDocument(database, entry.document, mask)
          : { name: resourceName(database, [...collection, entry.id]) },
      ),
      nextPageToken: next,
    };
  }

  private listCollectionIds(request: wire.ListCollectionIdsRequest): wire.ListCollectionIdsResponse {
    const { database, path: parent } = parseParentName(request.parent);
    const readTime = request.readTime ? pastReadTime(request.readTime, this.clock) : undefined;
    const ids = new Set<string>();
    for (const path of this.store.database(database).nonEmptyCollections(readTime)) {
      const id = path[parent.length];
      if (id !== undefined && isDescendant(path, parent)) ids.add(id);
    }
    const sorted = [...ids].sort(compareUtf8);
    const { items, next } = page(sorted, (id) => id, compareUtf8, request.pageSize, request.pageToken);
    return { collectionIds: items, nextPageToken: next };
  }
}
