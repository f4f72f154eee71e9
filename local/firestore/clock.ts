import { invalidArgument } from './errors';
import type { WireTimestamp } from './wire';

/** Microseconds since the Unix epoch: Firestore's commit-time resolution. */
export type Micros = bigint;

const MICROS_PER_SECOND = 1_000_000n;

/**
 * Hands out read and commit times. Every time it issues is >= every earlier one and every commit time is
 * strictly greater than any time issued before it, so a snapshot read at time T never misses a commit at
 * or before T and never sees a later one.
 */
export class Clock {
  private last: Micros = 0n;

  /** A read time: includes every commit installed so far. */
  now(): Micros {
    const wall = BigInt(Date.now()) * 1000n;
    if (wall > this.last) this.last = wall;
    return this.last;
  }

  /** A commit time, later than every time issued before. */
  next(): Micros {
    const wall = BigInt(Date.now()) * 1000n;
    this.last = wall > this.last ? wall : this.last + 1n;
    return this.last;
  }
}

/** Encodes a time for the wire. */
export function toWireTimestamp(micros: Micros): WireTimestamp {
  return {
    seconds: (micros / MICROS_PER_SECOND).toString(),
    nanos: Number(micros % MICROS_PER_SECOND) * 1000,
  };
}

/** Decodes a wire timestamp used as a read time or precondition (Firestore times are microsecond aligned). */
export function fromWireTimestamp(timestamp: WireTimestamp): Micros {
  const nanos = timestamp.nanos ?? 0;
  if (nanos < 0 || nanos > 999_999_999) throw invalidArgument('Timestamp nanos out of range.');
  return BigInt(timestamp.seconds ?? '0') * MICROS_PER_SECOND + BigInt(Math.floor(nanos / 1000));
}

/** Firestore serves reads up to an hour in the past (without point-in-time recovery). */
export const READ_TIME_RETENTION_MICROS = 60n * 60n * MICROS_PER_SECOND;

/** Validates a client-chosen read time: not in the future, not older than the retained history. */
export function pastReadTime(timestamp: WireTimestamp, clock: Clock): Micros {
  const time = fromWireTimestamp(timestamp);
  const now = clock.now();
  if (time > now) throw invalidArgument('read_time cannot be in the future.');
  if (time < now - READ_TIME_RETENTION_MICROS) throw invalidArgument('read_time is older than one hour.');
  return time;
}
