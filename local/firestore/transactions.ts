import { randomBytes } from 'node:crypto';
import { type Clock, type Micros, pastReadTime } from './clock';
import { contention, expiredTransaction } from './errors';
import type { LockManager, LockOwner } from './locks';
import type { WireTimestamp, WireTransactionOptions } from './wire';

type TransactionState = 'active' | 'committing' | 'finished' | 'aborted' | 'expired';

/** How many ended transactions are remembered, so retries keep their age and late calls get the right error. */
const REMEMBERED_ENDED_TRANSACTIONS = 10_000;

/** A server-side transaction. Read-write ones own locks; read-only ones read at a fixed snapshot. */
export class Transaction implements LockOwner {
  readonly canWound = true;
  state: TransactionState = 'active';
  idleTimer: NodeJS.Timeout | undefined;
  /** The update time of every document this read-write transaction read (undefined: it did not exist). */
  readonly readVersions = new Map<string, Micros | undefined>();

  constructor(
    readonly id: Buffer,
    readonly database: string,
    readonly priority: bigint,
    /** The snapshot of a read-only transaction; undefined for read-write ones, which read the latest data. */
    readonly readTime: Micros | undefined,
    private readonly onEnd: (transaction: Transaction) => void,
  ) {}

  get readOnly(): boolean {
    return this.readTime !== undefined;
  }

  get woundable(): boolean {
    return this.open;
  }

  aborted(): void {
    this.end('aborted');
  }

  get open(): boolean {
    return this.state === 'active' || this.state === 'committing';
  }

  end(state: 'finished' | 'aborted' | 'expired'): void {
    if (!this.open) return;
    this.state = state;
    clearTimeout(this.idleTimer);
    // Only its commit checks them, and up to 10,000 ended transactions are remembered.
    this.readVersions.clear();
    this.onEnd(this);
  }
}

/**
 * Creates, finds and expires transactions. Ages come from one counter shared with plain writes, and a retry
 * (`retry_transaction`) inherits the age of the attempt it retries, so an old transaction eventually wins.
 */
export class TransactionRegistry {
  private readonly transactions = new Map<string, Transaction>();
  /** Ids of ended transactions, oldest first (a Set keeps insertion order and evicts in O(1)). */
  private readonly ended = new Set<string>();
  private sequence = 0n;

  constructor(
    private readonly locks: LockManager,
    private readonly clock: Clock,
    private readonly idleTimeoutMs: number,
  ) {}

  /** The next age for a new transaction or plain write. */
  nextPriority(): bigint {
    return this.sequence++;
  }

  /** Starts a transaction; read-write unless the options say read-only. */
  begin(database: string, options: WireTransactionOptions | undefined): Transaction {
    const id = randomBytes(16);
    const onEnd = (ended: Transaction) => this.remember(ended);
    const transaction =
      options?.mode === 'readOnly'
        ? new Transaction(
            id,
            database,
            this.nextPriority(),
            this.snapshotTime(options.readOnly?.readTime),
            onEnd,
          )
        : new Transaction(id, database, this.retriedPriority(database, options), undefined, onEnd);
    this.transactions.set(id.toString('hex'), transaction);
    this.touch(transaction);
    return transaction;
  }

  private snapshotTime(readTime: WireTimestamp | undefined): Micros {
    return readTime ? pastReadTime(readTime, this.clock) : this.clock.now();
  }

  private retriedPriority(database: string, options: WireTransactionOptions | undefined): bigint {
    const retried = options?.readWrite?.retryTransaction;
    const previous = retried?.length ? this.transactions.get(retried.toString('hex')) : undefined;
    if (!previous || previous.database !== database) return this.nextPriority();
    // The attempt being retried is dead; make sure it no longer holds locks under the same age.
    if (previous.open) this.endTransaction(previous, 'aborted');
    return previous.priority;
  }

  /** The open transaction a read or commit refers to; marks it as used. */
  use(database: string, id: Buffer | undefined): Transaction {
    const transaction = id?.length ? this.transactions.get(id.toString('hex')) : undefined;
    if (!transaction || transaction.database !== database) throw expiredTransaction();
    if (transaction.state === 'aborted') throw contention();
    if (transaction.state !== 'active') throw expiredTransaction();
    this.touch(transaction);
    return transaction;
  }

  /** Marks a read-write transaction as committing: it is no longer idle while it waits for its write locks. */
  beginCommit(transaction: Transaction): void {
    transaction.state = 'committing';
    clearTimeout(transaction.idleTimer);
  }

  /** Ends a transaction (commit, rollback, failed commit) and frees its locks. */
  finish(transaction: Transaction): void {
    this.endTransaction(transaction, 'finished');
  }

  /** Ends a transaction whose id never reached the client (a failed read that was to start it). */
  discard(transaction: Transaction): void {
    if (transaction.open) this.endTransaction(transaction, 'aborted');
  }

  /** Rolls back; rolling back a transaction that already lost its locks is not an error. */
  rollback(database: string, id: Buffer | undefined): void {
    const transaction = id?.length ? this.transactions.get(id.toString('hex')) : undefined;
    if (!transaction || transaction.database !== database) throw expiredTransaction();
    if (transaction.state === 'active') this.finish(transaction);
  }

  /** Aborts every open transaction of one database (all when undefined) and forgets them. */
  reset(database?: string): void {
    for (const [key, transaction] of this.transactions) {
      if (database !== undefined && transaction.database !== database) continue;
      if (transaction.open) this.endTransaction(transaction, 'aborted');
      this.transactions.delete(key);
      this.ended.delete(key);
    }
  }

  private touch(transaction: Transaction): void {
    clearTimeout(transaction.idleTimer);
    transaction.idleTimer = setTimeout(() => this.expire(transaction), this.idleTimeoutMs);
    transaction.idleTimer.unref();
  }

  private expire(transaction: Transaction): void {
    if (transaction.state === 'active') this.endTransaction(transaction, 'expired');
  }

  private endTransaction(transaction: Transaction, state: 'finished' | 'aborted' | 'expired'): void {
    // A transaction whose commit holds its locks is applying its writes: ended now (a retry of it begun
    // meanwhile, a reset), it would free documents that others could read and overwrite before it writes
    // them, a lost update. Its commit ends it.
    if (state !== 'finished' && this.locks.isApplying(transaction)) return;
    transaction.end(state);
    this.locks.releaseAll(transaction, state === 'expired' ? expiredTransaction() : contention());
  }

  private remember(transaction: Transaction): void {
    this.ended.add(transaction.id.toString('hex'));
    for (const oldest of this.ended) {
      if (this.ended.size <= REMEMBERED_ENDED_TRANSACTIONS) break;
      this.ended.delete(oldest);
      this.transactions.delete(oldest);
    }
  }
}
