import { invalidArgument } from './errors';
import type { WireDuration, WireTimestamp } from './wire';

/** Milliseconds since the epoch as a google.protobuf.Timestamp. */
export function toWireTimestamp(epochMs: number): WireTimestamp {
  return { seconds: String(Math.floor(epochMs / 1000)), nanos: (epochMs % 1000) * 1_000_000 };
}

/** A google.protobuf.Timestamp in milliseconds since the epoch. */
export function timestampMs(timestamp: WireTimestamp): number {
  return Number(timestamp.seconds ?? 0) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1_000_000);
}

/** A google.protobuf.Duration in milliseconds; negative durations are malformed requests. */
export function durationMs(duration: WireDuration, field: string): number {
  const ms = Number(duration.seconds ?? 0) * 1000 + Math.floor((duration.nanos ?? 0) / 1_000_000);
  if (!Number.isFinite(ms) || ms < 0) throw invalidArgument(`${field} must be a non-negative duration`);
  return ms;
}

/** Milliseconds as a google.protobuf.Duration. */
export function toWireDuration(ms: number): WireDuration {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}
