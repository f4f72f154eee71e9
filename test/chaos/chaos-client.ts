import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../../local/stripe/api-faults';

/** The seeded choices of a chaos round, so that a seed replays the same clients' decisions (not timing). */
export class Dice {
  /** A number in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** One HTTP answer as the chaos clients see it. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A request retried like a mobile app retries: its answers and how many of them were failures. */
export interface RetriedAnswer {
  /** The last answer, or undefined if every attempt failed without one (network error). */
  readonly last: Answer | undefined;
  /** Attempts answered 5xx or not answered at all: each may have applied its change anyway. */
  readonly ambiguousFailures: number;
  readonly attempts: number;
}

/** How a chaos client reaches the functions. */
export interface CallOptions {
  readonly method: 'GET' | 'POST';
  readonly token?: string;
  /** The phone's address, so that the per-address rate limit sees many phones, not one test process. */
  readonly address: string;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
}

const MAX_ATTEMPTS = 8;

function retryable(status: number): boolean {
  return status >= 500 || status === 429;
}

async function callOnce(url: string, options: CallOptions): Promise<Answer> {
  const response = await fetch(url, {
    method: options.method,
    headers: {
      'Content-Type': 'application/json',
      'X-Forwarded-For': options.address,
      ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }),
      ...(options.idempotencyKey === undefined ? {} : { 'Idempotency-Key': options.idempotencyKey }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  const body = text.length === 0 ? {} : (JSON.parse(text) as Record<string, unknown>);
  return { status: response.status, body };
}

/**
 * Calls a function and retries on 5xx, 429 and network failures with exponential backoff (the same
 * request: same body, same Idempotency-Key), as the mobile app does; gives up after {@link MAX_ATTEMPTS}.
 */
export async function callWithRetries(url: string, options: CallOptions, dice: Dice): Promise<RetriedAnswer> {
  let last: Answer | undefined;
  let ambiguousFailures = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    try {
      last = await callOnce(url, options);
      if (!retryable(last.status)) return { last, ambiguousFailures, attempts: attempt };
      if (last.status >= 500) ambiguousFailures += 1;
    } catch {
      // No answer (connection reset, timeout): the request may or may not have reached the function.
      last = undefined;
      ambiguousFailures += 1;
    }
    await sleep(Math.min(1_000, 25 * 2 ** attempt) * (0.5 + dice.next()));
  }
  return { last, ambiguousFailures, attempts: MAX_ATTEMPTS };
}
