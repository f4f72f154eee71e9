import { Client, type ClientDuplexStream, credentials, Metadata } from '@grpc/grpc-js';
import { loadFirestoreService } from '../../../local/firestore/proto';
import { DATABASE } from './emulator-fixture';

/** How long a test waits for an event that must come. */
const EVENT_TIMEOUT_MS = 10_000;

/** A queue of events that tests take one by one, failing when one does not arrive in time. */
class EventQueue<T> {
  private readonly events: T[] = [];
  private readonly waiters: { resolve: (event: T) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;

  push(event: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(event);
    else this.events.push(event);
  }

  fail(error: Error): void {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  next(what: string): Promise<T> {
    const event = this.events.shift();
    if (event !== undefined) return Promise.resolve(event);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`No ${what} within ${EVENT_TIMEOUT_MS} ms`));
      }, EVENT_TIMEOUT_MS);
      const waiter = {
        resolve: (value: T) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The events that arrived so far and were not taken. */
  pending(): readonly T[] {
    return this.events;
  }
}

/** The snapshots of an onSnapshot listener, in order. */
export interface Snapshots<S> {
  /** The next snapshot; fails if none arrives in time or the listener reports an error. */
  next(): Promise<S>;
  /** Snapshots that arrived and were not taken yet. */
  pending(): readonly S[];
  /** Stops listening (the listener's unsubscribe). */
  stop(): void;
}

/** Records what an onSnapshot listener reports. */
export function listenTo<S>(
  subscribe: (next: (snapshot: S) => void, error: (e: Error) => void) => () => void,
): Snapshots<S> {
  const queue = new EventQueue<S>();
  const unsubscribe = subscribe(
    (snapshot) => queue.push(snapshot),
    (error) => queue.fail(error),
  );
  return { next: () => queue.next('snapshot'), pending: () => queue.pending(), stop: unsubscribe };
}

/** The ids and docChanges of a query snapshot, in the SDK's order. */
export function describeQuerySnapshot(snapshot: FirebaseFirestore.QuerySnapshot): {
  ids: string[];
  changes: string[];
} {
  return {
    ids: snapshot.docs.map((document) => document.id),
    changes: snapshot
      .docChanges()
      .map((change) => `${change.type} ${change.doc.id} ${change.oldIndex}->${change.newIndex}`),
  };
}

/** A ListenResponse as the raw client decodes it. */
export interface RawListenResponse {
  targetChange?: {
    /** Absent for NO_CHANGE, the enum's zero value, which proto3 does not send. */
    targetChangeType?: string;
    targetIds: number[];
    resumeToken?: Buffer;
    readTime?: { seconds: string; nanos: number };
    cause?: { code: number; message: string };
  };
  documentChange?: {
    document: { name: string; updateTime?: { seconds: string; nanos: number } };
    targetIds: number[];
    removedTargetIds: number[];
  };
  documentDelete?: { document: string; removedTargetIds: number[] };
  documentRemove?: { document: string; removedTargetIds: number[] };
}

/** A Listen stream opened without the SDK, to see the protocol itself. */
export interface RawListen {
  addTarget(target: object): void;
  removeTarget(targetId: number): void;
  /** The next response. */
  next(): Promise<RawListenResponse>;
  /** The responses up to and including the next stream-wide NO_CHANGE with a read time. */
  untilConsistent(): Promise<RawListenResponse[]>;
  close(): void;
}

/** Whether a response is the stream-wide NO_CHANGE that marks a consistent snapshot. */
export function isConsistentPoint(response: RawListenResponse): boolean {
  const change = response.targetChange;
  return (
    change !== undefined &&
    (change.targetChangeType ?? 'NO_CHANGE') === 'NO_CHANGE' &&
    change.targetIds.length === 0 &&
    change.readTime !== undefined
  );
}

/** Opens a raw Listen stream on the emulator at `address`. */
export function openRawListen(address: string): RawListen {
  const rpc = loadFirestoreService().Listen;
  if (!rpc) throw new Error('No Listen RPC');
  const client = new Client(address, credentials.createInsecure());
  // Google's emulator routes a Listen call by this header, which the SDKs always send.
  const metadata = new Metadata();
  metadata.set('google-cloud-resource-prefix', DATABASE);
  const call: ClientDuplexStream<object, RawListenResponse> = client.makeBidiStreamRequest(
    rpc.path,
    (message: object) => rpc.requestSerialize(message),
    (bytes: Buffer) => rpc.responseDeserialize(bytes) as RawListenResponse,
    metadata,
  );
  const queue = new EventQueue<RawListenResponse>();
  call.on('data', (response: RawListenResponse) => queue.push(response));
  call.on('error', (error: Error) => queue.fail(error));
  return {
    addTarget: (target) => call.write({ database: DATABASE, addTarget: target }),
    removeTarget: (targetId) => call.write({ database: DATABASE, removeTarget: targetId }),
    next: () => queue.next('response'),
    untilConsistent: async () => {
      const responses: RawListenResponse[] = [];
      for (;;) {
        const response = await queue.next('consistent snapshot');
        responses.push(response);
        if (isConsistentPoint(response)) return responses;
      }
    },
    close: () => {
      call.cancel();
      client.close();
    },
  };
}

/** A document version as `seconds.nanos` of its update time, the same from the wire and from the SDK. */
export function versionOf(
  time: { seconds: string | number; nanos?: number; nanoseconds?: number } | undefined,
): string {
  return `${time?.seconds ?? ''}.${time?.nanos ?? time?.nanoseconds ?? 0}`;
}

/**
 * What a client knows after applying responses the way the SDK's Watch does (names relative to the
 * document root, mapped to their update time): RESET forgets everything, DocumentChange adds or replaces,
 * DocumentDelete and DocumentRemove drop.
 */
export function applyResponses(
  known: ReadonlyMap<string, string>,
  responses: readonly RawListenResponse[],
): Map<string, string> {
  const state = new Map(known);
  const relative = (name: string) => name.slice(`${DATABASE}/documents/`.length);
  for (const response of responses) {
    if (response.targetChange?.targetChangeType === 'RESET') state.clear();
    const changed = response.documentChange?.document;
    if (changed) state.set(relative(changed.name), versionOf(changed.updateTime));
    const gone = response.documentDelete?.document ?? response.documentRemove?.document;
    if (gone) state.delete(relative(gone));
  }
  return state;
}
