import type { StoredMessage } from './messages';
import type { ResourceName } from './names';
import { toWireTimestamp } from './time';
import type { WireSnapshot } from './wire';

/**
 * A snapshot: the messages its subscription had not acknowledged when it was taken, plus every message
 * published to its topic since, which a Seek makes the backlog of any subscription of that topic.
 */
export interface SnapshotRecord {
  readonly name: ResourceName;
  /** The topic's full name, as the source subscription had it. */
  readonly topic: string;
  readonly labels: Readonly<Record<string, string>>;
  /** When Pub/Sub deletes it: fixed at creation (see {@link snapshotExpiry}). */
  readonly expireMs: number;
  readonly messages: StoredMessage[];
}

/** Pub/Sub keeps a snapshot for at most 7 days after its oldest unacknowledged message was published. */
const SNAPSHOT_LIFETIME_MS = 7 * 24 * 3600 * 1000;
/** Pub/Sub refuses to create a snapshot that would expire within an hour of its creation. */
const MIN_SNAPSHOT_LIFETIME_MS = 3600 * 1000;

/**
 * When a snapshot of this backlog, taken at `nowMs`, expires: 7 days minus the age of its oldest
 * unacknowledged message (7 days from now when there is none). Undefined when that is less than an hour
 * away, which Pub/Sub refuses with FAILED_PRECONDITION.
 */
export function snapshotExpiry(oldestPublishMs: number | undefined, nowMs: number): number | undefined {
  const expireMs = (oldestPublishMs ?? nowMs) + SNAPSHOT_LIFETIME_MS;
  return expireMs - nowMs < MIN_SNAPSHOT_LIFETIME_MS ? undefined : expireMs;
}

/** Each message once, in publish order (message ids are assigned in publish order). */
export function inPublishOrder(messages: Iterable<StoredMessage>): StoredMessage[] {
  const byId = new Map<string, StoredMessage>();
  for (const message of messages) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

/** The Snapshot resource. */
export function toWireSnapshot(snapshot: SnapshotRecord): WireSnapshot {
  return {
    name: snapshot.name.name,
    topic: snapshot.topic,
    expireTime: toWireTimestamp(snapshot.expireMs),
    labels: { ...snapshot.labels },
  };
}
