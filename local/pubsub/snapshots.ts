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
  readonly createdMs: number;
  readonly messages: StoredMessage[];
}

/** Pub/Sub keeps a snapshot for at most 7 days after its oldest unacknowledged message was published. */
const SNAPSHOT_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/** Each message once, in publish order (message ids are assigned in publish order). */
export function inPublishOrder(messages: Iterable<StoredMessage>): StoredMessage[] {
  const byId = new Map<string, StoredMessage>();
  for (const message of messages) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

/** The Snapshot resource, with the documented expiry: 7 days after its oldest message was published. */
export function toWireSnapshot(snapshot: SnapshotRecord): WireSnapshot {
  const oldest = snapshot.messages[0]?.publishTimeMs ?? snapshot.createdMs;
  return {
    name: snapshot.name.name,
    topic: snapshot.topic,
    expireTime: toWireTimestamp(oldest + SNAPSHOT_LIFETIME_MS),
    labels: { ...snapshot.labels },
  };
}
