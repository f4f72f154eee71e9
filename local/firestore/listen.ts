import { type handleBidiStreamingCall, Metadata, status } from '@grpc/grpc-js';
import {
  type Clock,
  fromWireTimestamp,
  type Micros,
  READ_TIME_RETENTION_MICROS,
  toWireTimestamp,
} from './clock';
import { encodeDocument } from './documents';
import { invalidArgument, toStatus } from './errors';
import {
  type CommittedChange,
  diffResults,
  parseTarget,
  resultsAfterCommit,
  type TargetResults,
  type TargetSpec,
  targetResults,
} from './listen-targets';
import { parseDatabaseName, resourceName } from './paths';
import type { Store } from './store';
import type { ListenRequest, ListenResponse, WireTarget, WireTargetChange, WireTimestamp } from './wire';

const RESUME_TOKEN_BYTES = 8;

/**
 * A resume token: the read time it was issued at, 8 bytes big-endian. Production's tokens are opaque to
 * clients too; the SDK only hands back the last one it received.
 */
function resumeToken(time: Micros): Buffer {
  const token = Buffer.alloc(RESUME_TOKEN_BYTES);
  token.writeBigUInt64BE(time);
  return token;
}

function readResumeToken(token: Buffer | undefined): Micros | undefined {
  return token?.length === RESUME_TOKEN_BYTES ? token.readBigUInt64BE() : undefined;
}

function targetChange(
  targetChangeType: WireTargetChange['targetChangeType'],
  targetIds: number[],
  extra: Partial<WireTargetChange> = {},
): ListenResponse {
  return { targetChange: { targetChangeType, targetIds, ...extra } };
}

/** The stream-wide NO_CHANGE that tells the client every target is consistent at `time`. */
function consistentAt(time: Micros): ListenResponse {
  return targetChange('NO_CHANGE', [], { readTime: toWireTimestamp(time), resumeToken: resumeToken(time) });
}

/** The body of a DocumentDelete or DocumentRemove of one target. */
function removal(
  name: string,
  targetId: number,
  time: Micros,
): { document: string; removedTargetIds: number[]; readTime: WireTimestamp } {
  return { document: name, removedTargetIds: [targetId], readTime: toWireTimestamp(time) };
}

/** A target on a stream, with the results the client was last told about. */
interface ActiveTarget {
  readonly id: number;
  readonly database: string;
  readonly spec: TargetSpec;
  results: TargetResults;
}

/** One Listen call: its targets, and how to write to it. */
class ListenStream {
  readonly targets = new Map<number, ActiveTarget>();
  /** Set once the client let the server choose a target id: from then on it must always do so. */
  private serverAssignsIds = false;

  constructor(readonly send: (response: ListenResponse) => void) {}

  /**
   * The id of a target being added: the client's, or the lowest free one when it sent 0. A clashing id
   * also ends the target that holds it (the REMOVE the client gets names both).
   */
  claimId(requested: number): number {
    if (requested === 0) {
      this.serverAssignsIds = true;
      let id = 1;
      while (this.targets.has(id)) id++;
      return id;
    }
    if (requested < 0) throw invalidArgument(`Target id ${requested} must be positive.`);
    if (this.serverAssignsIds) {
      throw invalidArgument('Once the server assigned a target id, every target must leave its id to it.');
    }
    if (this.targets.delete(requested)) throw invalidArgument(`Target id ${requested} is already in use.`);
    return requested;
  }
}

/**
 * google.firestore.v1.Firestore/Listen. Targets are evaluated when added and after every commit that can
 * affect them, synchronously with the commit's installation, so each stream gets the commits in order, every
 * commit's changes in one step closed by a NO_CHANGE at its commit time (the SDK raises one snapshot for
 * it). Idle streams cost nothing: there is no timer and no polling.
 */
export class ListenHub {
  private readonly streams = new Set<ListenStream>();
  /** When each database was last reset; resume tokens from before that cannot be diffed. */
  private readonly resets = new Map<string, Micros>();
  private lastResetOfAll: Micros = 0n;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The gRPC handler of Listen. */
  readonly handler: handleBidiStreamingCall<ListenRequest, ListenResponse> = (call) => {
    call.sendMetadata(new Metadata());
    const stream = new ListenStream((response) => call.write(response));
    this.streams.add(stream);
    const release = () => this.streams.delete(stream);
    call.on('data', (request: ListenRequest) => this.handle(stream, request));
    call.on('end', () => {
      release();
      call.end();
    });
    call.on('cancelled', release);
    call.on('error', release);
  };

  /** Tells every affected target about a commit just installed at `commitTime`. */
  committed(database: string, installed: Iterable<Omit<CommittedChange, 'name'>>, commitTime: Micros): void {
    const changes = [...installed].map((change) => ({
      ...change,
      name: resourceName(database, change.path),
    }));
    const store = this.store.database(database);
    const now = this.clock.now();
    this.deliver(database, commitTime, (target) =>
      resultsAfterCommit(target.spec, target.results, changes, store, now),
    );
  }

  /** Tells the targets of a reset database (all when undefined) that its documents are gone. */
  reset(database?: string): void {
    const time = this.clock.next();
    if (database === undefined) this.lastResetOfAll = time;
    else this.resets.set(database, time);
    this.deliver(database, time, (target) =>
      targetResults(target.spec, this.store.database(target.database), undefined, time),
    );
  }

  private handle(stream: ListenStream, request: ListenRequest): void {
    let id = (request.targetChange === 'addTarget' ? request.addTarget?.targetId : request.removeTarget) ?? 0;
    try {
      const database = parseDatabaseName(request.database);
      if (request.targetChange === 'addTarget') {
        id = stream.claimId(id);
        this.addTarget(stream, database, id, request.addTarget ?? {});
      } else if (request.targetChange === 'removeTarget') {
        this.removeTarget(stream, id);
      } else {
        throw invalidArgument('A ListenRequest must add or remove a target.');
      }
    } catch (error) {
      // A REMOVE with a cause reaches onSnapshot's error callback; failing the call would not (decision 250).
      const { code = status.INTERNAL, details = '' } = toStatus(error);
      stream.send(targetChange('REMOVE', [id], { cause: { code, message: details } }));
    }
  }

  private addTarget(stream: ListenStream, database: string, id: number, wire: WireTarget): void {
    const spec = parseTarget(database, wire);
    const store = this.store.database(database);
    const now = this.clock.now();
    const results = targetResults(spec, store, undefined, now);
    const since = this.resumedFrom(database, wire, now);
    stream.send(targetChange('ADD', [id]));
    let known: TargetResults = new Map();
    if (since === undefined && wire.resumeType !== undefined) stream.send(targetChange('RESET', [id]));
    if (since !== undefined) known = targetResults(spec, store, since, now);
    this.sendDiff(stream, id, database, known, results, now);
    if (since === undefined && spec.kind === 'documents') {
      // A full answer names the missing documents too, as Google's emulator does.
      for (const name of spec.paths.keys()) {
        if (!results.has(name)) stream.send({ documentDelete: removal(name, id, now) });
      }
    }
    const consistent = { readTime: toWireTimestamp(now), resumeToken: resumeToken(now) };
    stream.send(targetChange('CURRENT', [id], consistent));
    stream.send(consistentAt(now));
    if (wire.once) stream.send(targetChange('REMOVE', [id]));
    else stream.targets.set(id, { id, database, spec, results });
  }

  /**
   * The time a resumed target's client knows the results at, or undefined when they must be sent in full:
   * no resume token or read time, or one this emulator cannot diff from (unreadable, older than the
   * retained history, from before a reset, or in the future).
   */
  private resumedFrom(database: string, wire: WireTarget, now: Micros): Micros | undefined {
    const time =
      wire.resumeType === 'resumeToken'
        ? readResumeToken(wire.resumeToken)
        : wire.resumeType === 'readTime' && wire.readTime
          ? fromWireTimestamp(wire.readTime)
          : undefined;
    if (time === undefined || time > now || time < now - READ_TIME_RETENTION_MICROS) return undefined;
    const reset = this.resets.get(database) ?? 0n;
    return time < reset || time < this.lastResetOfAll ? undefined : time;
  }

  private removeTarget(stream: ListenStream, id: number): void {
    if (!stream.targets.delete(id)) throw invalidArgument(`No target ${id} on this stream.`);
    stream.send(targetChange('REMOVE', [id]));
  }

  /** Sends each stream its targets' changes, then one NO_CHANGE at `time` if anything changed. */
  private deliver(
    database: string | undefined,
    time: Micros,
    resultsOf: (target: ActiveTarget) => TargetResults | undefined,
  ): void {
    for (const stream of this.streams) {
      let changed = false;
      for (const target of stream.targets.values()) {
        if (database !== undefined && target.database !== database) continue;
        const results = resultsOf(target);
        if (!results) continue;
        changed = this.sendDiff(stream, target.id, target.database, target.results, results, time) || changed;
        target.results = results;
      }
      if (changed) stream.send(consistentAt(time));
    }
  }

  /**
   * Sends what moved between two states of a target's results: DocumentChange for a document that entered
   * or changed, DocumentDelete for one that no longer exists, DocumentRemove for one that left the results
   * but still exists. Returns whether anything was sent.
   */
  private sendDiff(
    stream: ListenStream,
    id: number,
    database: string,
    previous: TargetResults,
    next: TargetResults,
    time: Micros,
  ): boolean {
    const { changed, gone } = diffResults(previous, next);
    for (const document of changed) {
      stream.send({
        documentChange: {
          document: encodeDocument(database, document),
          targetIds: [id],
          removedTargetIds: [],
        },
      });
    }
    const store = this.store.database(database);
    for (const document of gone) {
      const body = removal(resourceName(database, document.path), id, time);
      stream.send(store.get(document.path) ? { documentRemove: body } : { documentDelete: body });
    }
    return changed.length > 0 || gone.length > 0;
  }
}
