import { status } from '@grpc/grpc-js';
import * as z from 'zod';
import { seededRandom } from '../seeded-random';
import { contention, FirestoreError } from './errors';

/**
 * One kind of injected Commit fault (docs/local-firestore-emulator.md, Fault injection). `after-apply` is
 * the ambiguous case production has: the writes landed, yet the client sees an error and may run the
 * transaction again. ABORTED (a lost lock conflict, so certainly not applied) only comes `before-apply`.
 * LATENCY is a spike, not a failure: the commit waits `delayMs` holding its locks (`before-apply`) or
 * after its writes landed and its locks were released (`after-apply`), then succeeds.
 */
export const commitFaultSchema = z
  .strictObject({
    code: z.enum(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'ABORTED', 'LATENCY']),
    when: z.enum(['before-apply', 'after-apply']),
    /** LATENCY only: how long the spike lasts. */
    delayMs: z.number().int().positive().max(60_000).optional(),
    /** Only commits that write a document whose path (e.g. `bookings/abc`) starts with this. */
    documentPrefix: z.string().optional(),
    /** The next `count` matching commits fail; then the fault is spent. */
    count: z.number().int().positive().optional(),
    /** Or each matching commit fails with this probability. */
    fraction: z.number().gt(0).max(1).optional(),
    /** Seed of the pseudo-random choice of `fraction`, so that a run can be replayed; default 1. */
    seed: z.number().int().nonnegative().optional(),
  })
  .refine((fault) => (fault.count === undefined) !== (fault.fraction === undefined), {
    message: 'a commit fault sets exactly one of count and fraction',
  })
  .refine((fault) => fault.code !== 'ABORTED' || fault.when === 'before-apply', {
    message: 'ABORTED means the commit did not apply: only before-apply',
  })
  .refine((fault) => (fault.code === 'LATENCY') === (fault.delayMs !== undefined), {
    message: 'delayMs is set for LATENCY and only for LATENCY',
  });

/** A commit fault as configured. */
export type CommitFault = z.infer<typeof commitFaultSchema>;

/** A failure the injector chose for one commit. */
export interface InjectedFailure {
  readonly when: CommitFault['when'];
  readonly error: FirestoreError;
}

/** A latency spike the injector chose for one commit. */
export interface InjectedDelay {
  readonly when: CommitFault['when'];
  readonly delayMs: number;
}

/** How many commits a scope's faults failed and slowed. */
export interface InjectedCommitFaults {
  readonly failed: number;
  readonly delayed: number;
}

/** What the injector chose for one commit: a failure, a spike, both or neither. */
export interface InjectedFaults {
  readonly failure?: InjectedFailure;
  readonly delay?: InjectedDelay;
}

/** Parses and checks fault settings from JSON text (an environment variable or a flag). */
export function parseCommitFaults(json: string): CommitFault[] {
  return z.array(commitFaultSchema).parse(JSON.parse(json));
}

interface ActiveFault {
  readonly fault: CommitFault;
  remaining: number | undefined;
  readonly random: () => number;
}

const FAULT_STATUS = {
  UNAVAILABLE: status.UNAVAILABLE,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
} as const;

function injectedError(code: Exclude<CommitFault['code'], 'LATENCY'>): FirestoreError {
  // A lost conflict carries Firestore's own wording, which clients may match.
  if (code === 'ABORTED') return contention();
  return new FirestoreError(FAULT_STATUS[code], `Injected fault: ${code} on Commit.`);
}

/**
 * Decides which Commit calls fail; off (no faults) until {@link CommitFaultInjector.configure} says so.
 * Faults are kept per scope, so that test files sharing one emulator set and clear only their own.
 */
export class CommitFaultInjector {
  private readonly scopes = new Map<string, ActiveFault[]>();
  private readonly injected = new Map<string, { failed: number; delayed: number }>();

  /**
   * Replaces the faults of `scope` (default: the unnamed one); an empty list removes them. Answers how
   * many commits the replaced faults of the scope failed and slowed.
   */
  configure(faults: readonly CommitFault[], scope = ''): InjectedCommitFaults {
    const injected = this.injected.get(scope) ?? { failed: 0, delayed: 0 };
    this.injected.delete(scope);
    if (faults.length === 0) {
      this.scopes.delete(scope);
      return injected;
    }
    this.scopes.set(
      scope,
      faults.map((fault) => ({ fault, remaining: fault.count, random: seededRandom(fault.seed ?? 1) })),
    );
    return injected;
  }

  /**
   * The faults of a commit writing `documentPaths` (relative paths): the first failure and the first
   * latency spike that fire, each checked in order independently, so a spike never hides a failure.
   */
  faultsFor(documentPaths: readonly string[]): InjectedFaults {
    let failure: InjectedFailure | undefined;
    let delay: InjectedDelay | undefined;
    for (const [scope, entries] of this.scopes) {
      for (const entry of entries) {
        const { fault } = entry;
        const isDelay = fault.code === 'LATENCY';
        if (isDelay ? delay !== undefined : failure !== undefined) continue;
        if (!fires(entry, documentPaths)) continue;
        const injected = this.injected.get(scope) ?? { failed: 0, delayed: 0 };
        this.injected.set(scope, injected);
        if (fault.code === 'LATENCY') {
          delay = { when: fault.when, delayMs: fault.delayMs ?? 0 };
          injected.delayed += 1;
        } else {
          failure = { when: fault.when, error: injectedError(fault.code) };
          injected.failed += 1;
        }
      }
    }
    return { failure, delay };
  }
}

/** Whether the fault fires for this commit; a fired `count` fault is used up by one. */
function fires(entry: ActiveFault, documentPaths: readonly string[]): boolean {
  const prefix = entry.fault.documentPrefix;
  if (prefix !== undefined && !documentPaths.some((path) => path.startsWith(prefix))) return false;
  if (entry.remaining === undefined) return entry.random() < (entry.fault.fraction ?? 0);
  if (entry.remaining === 0) return false;
  entry.remaining -= 1;
  return true;
}
