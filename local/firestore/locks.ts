import { contention, type FirestoreError } from './errors';

/**
 * Something that holds or waits for document locks: a read-write transaction or a single non-transactional
 * write (a Commit without transaction, or one write of a BatchWrite).
 */
export interface LockOwner {
  /** Age used for conflicts: lower is older. A retried transaction keeps the priority of its first attempt. */
  readonly priority: bigint;
  /** Transactions take locks away from younger transactions ("wound"); plain writes only wait. */
  readonly canWound: boolean;
  /** Whether this owner may be wounded (open transactions); an owner holding exclusive locks never is. */
  readonly woundable: boolean;
  /** Called when the owner loses its locks to an older transaction or to a lock-wait timeout. */
  aborted(): void;
}

type LockMode = 'shared' | 'exclusive';

interface PendingRequest {
  readonly owner: LockOwner;
  readonly mode: LockMode;
  readonly keys: readonly string[];
  readonly sequence: number;
  readonly resolve: () => void;
  readonly reject: (error: FirestoreError) => void;
  timer?: NodeJS.Timeout;
}

interface KeyState {
  readonly readers: Set<LockOwner>;
  writer: LockOwner | undefined;
  readonly pending: Set<PendingRequest>;
}

function byAge(a: PendingRequest, b: PendingRequest): number {
  if (a.owner.priority !== b.owner.priority) return a.owner.priority < b.owner.priority ? -1 : 1;
  return a.sequence - b.sequence;
}

/**
 * Document locks with Firestore's pessimistic rules for server SDKs:
 * - a transaction's reads take shared locks, held until it commits or rolls back; reads never block reads;
 * - a commit takes exclusive locks on every document it writes, all at once (no hold-and-wait), and holds them
 *   while it applies, so readers and other writers of those documents wait for it;
 * - wound-wait between transactions: an older transaction that needs a lock a younger one holds aborts the
 *   younger one (its pending requests fail at once with ABORTED, its locks are freed); a younger one waits
 *   for an older one, and a younger reader queues behind an older transaction waiting to write;
 * - plain writes never wound: they wait until readers are gone;
 * - every wait is bounded by `waitTimeoutMs`, after which the request fails with ABORTED.
 * Waits only ever point from younger to older transactions, or at owners that already hold all they need,
 * so there is no deadlock; locks are per document, so work on different documents runs in parallel.
 */
export class LockManager {
  private readonly keys = new Map<string, KeyState>();
  private readonly held = new Map<LockOwner, Set<string>>();
  /** Owners that hold exclusive locks: they are applying their writes and can no longer be wounded. */
  private readonly writers = new Set<LockOwner>();
  /**
   * Owners whose locks were released (finished or aborted). An owner can be wounded in the middle of its own
   * request (granting it wounds a younger reader, which lets an older waiter through, which wounds it), so
   * every grant checks that its owner is still alive.
   */
  private readonly released = new WeakSet<LockOwner>();
  private readonly waiting = new Map<LockOwner, Set<PendingRequest>>();
  private readonly dirty = new Set<string>();
  private pumping = false;
  private sequence = 0;

  constructor(private readonly waitTimeoutMs: number) {}

  /** Takes a shared (read) lock on one document. */
  acquireShared(owner: LockOwner, key: string): Promise<void> {
    if (this.keys.get(key)?.readers.has(owner)) return Promise.resolve();
    return this.request(owner, 'shared', [key]);
  }

  /** Takes exclusive (write) locks on all the given documents at once. */
  acquireExclusive(owner: LockOwner, keys: readonly string[]): Promise<void> {
    return this.request(owner, 'exclusive', [...new Set(keys)]);
  }

  /**
   * Whether the owner holds its commit's exclusive locks, that is, it is applying its writes. Such an owner
   * is never aborted: its commit finishes and then releases everything.
   */
  isApplying(owner: LockOwner): boolean {
    return this.writers.has(owner);
  }

  /** Whether the owner holds a lock on the document. */
  holds(owner: LockOwner, key: string): boolean {
    return this.held.get(owner)?.has(key) ?? false;
  }

  /** Frees every lock of the owner and fails its waiting requests with `error`. */
  releaseAll(owner: LockOwner, error: FirestoreError = contention()): void {
    this.released.add(owner);
    for (const request of this.waiting.get(owner) ?? []) this.fail(request, error);
    const keys = this.held.get(owner);
    this.held.delete(owner);
    this.writers.delete(owner);
    for (const key of keys ?? []) {
      const state = this.keys.get(key);
      if (!state) continue;
      state.readers.delete(owner);
      if (state.writer === owner) state.writer = undefined;
      this.dirty.add(key);
    }
    this.pump();
  }

  private request(owner: LockOwner, mode: LockMode, keys: readonly string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const request: PendingRequest = { owner, mode, keys, sequence: this.sequence++, resolve, reject };
      if (this.tryGrant(request)) return;
      if (this.released.has(owner)) {
        reject(contention());
        return;
      }
      for (const key of keys) this.state(key).pending.add(request);
      this.waitingOf(owner).add(request);
      request.timer = setTimeout(() => this.timeOut(request), this.waitTimeoutMs);
      // An abandoned wait must not keep a stopping process alive; while serving, the server does.
      request.timer.unref();
    });
  }

  private timeOut(request: PendingRequest): void {
    if (!this.isWaiting(request)) return;
    this.fail(request, contention());
    // A transaction that gave up waiting is aborted as a whole, so its other locks stop blocking anyone.
    if (request.owner.canWound) this.abort(request.owner);
    else this.pump();
  }

  private isWaiting(request: PendingRequest): boolean {
    return this.waiting.get(request.owner)?.has(request) ?? false;
  }

  private fail(request: PendingRequest, error: FirestoreError): void {
    this.forget(request);
    request.reject(error);
  }

  private forget(request: PendingRequest): void {
    clearTimeout(request.timer);
    this.waiting.get(request.owner)?.delete(request);
    if (this.waiting.get(request.owner)?.size === 0) this.waiting.delete(request.owner);
    for (const key of request.keys) {
      const state = this.keys.get(key);
      state?.pending.delete(request);
      this.dirty.add(key);
    }
  }

  private abort(owner: LockOwner): void {
    if (this.isApplying(owner)) return;
    owner.aborted();
    this.releaseAll(owner);
  }

  private tryGrant(request: PendingRequest): boolean {
    if (this.released.has(request.owner)) return false;
    const granted =
      request.mode === 'shared' ? this.tryGrantShared(request) : this.tryGrantExclusive(request);
    if (!granted) return false;
    const wasWaiting = this.isWaiting(request);
    if (wasWaiting) this.forget(request);
    request.resolve();
    return true;
  }

  private tryGrantShared(request: PendingRequest): boolean {
    const [key] = request.keys;
    if (key === undefined) return true;
    const state = this.state(key);
    if (state.writer !== undefined) return false;
    for (const other of state.pending) {
      const olderTransactionWantsToWrite =
        other.mode === 'exclusive' && other.owner.canWound && other.owner.priority < request.owner.priority;
      if (olderTransactionWantsToWrite) return false;
    }
    state.readers.add(request.owner);
    this.heldBy(request.owner).add(key);
    return true;
  }

  private tryGrantExclusive(request: PendingRequest): boolean {
    const { owner, keys } = request;
    if (owner.canWound) this.woundYoungerReaders(owner, keys);
    if (this.released.has(owner)) return false;
    const free = keys.every((key) => {
      const state = this.keys.get(key);
      if (!state) return true;
      return state.writer === undefined && [...state.readers].every((reader) => reader === owner);
    });
    if (!free) return false;
    for (const key of keys) {
      this.state(key).writer = owner;
      this.heldBy(owner).add(key);
    }
    this.writers.add(owner);
    return true;
  }

  /**
   * Aborts the younger readers of `keys`, until there are none: freeing a victim's locks re-examines the
   * requests waiting on them, and a younger reader queued behind the victim may be granted a key here
   * before this request is queued itself. Left in place, it would wait for this request elsewhere while this
   * request waited for it, until the wait timed out.
   */
  private woundYoungerReaders(owner: LockOwner, keys: readonly string[]): void {
    for (;;) {
      const victims = new Set<LockOwner>();
      for (const key of keys) {
        for (const reader of this.keys.get(key)?.readers ?? []) {
          const younger = reader.priority > owner.priority;
          if (reader !== owner && younger && reader.woundable && !this.writers.has(reader))
            victims.add(reader);
        }
      }
      if (victims.size === 0 || this.released.has(owner)) return;
      for (const victim of victims) this.abort(victim);
    }
  }

  /** Re-examines the requests waiting on documents whose locks changed, oldest first. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.dirty.size > 0) {
        const candidates = new Set<PendingRequest>();
        for (const key of this.dirty) {
          const state = this.keys.get(key);
          for (const request of state?.pending ?? []) candidates.add(request);
          if (state && state.readers.size === 0 && !state.writer && state.pending.size === 0) {
            this.keys.delete(key);
          }
        }
        this.dirty.clear();
        for (const request of [...candidates].sort(byAge)) {
          if (this.isWaiting(request)) this.tryGrant(request);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = { readers: new Set(), writer: undefined, pending: new Set() };
      this.keys.set(key, state);
    }
    return state;
  }

  private heldBy(owner: LockOwner): Set<string> {
    let keys = this.held.get(owner);
    if (!keys) {
      keys = new Set();
      this.held.set(owner, keys);
    }
    return keys;
  }

  private waitingOf(owner: LockOwner): Set<PendingRequest> {
    let requests = this.waiting.get(owner);
    if (!requests) {
      requests = new Set();
      this.waiting.set(owner, requests);
    }
    return requests;
  }
}
