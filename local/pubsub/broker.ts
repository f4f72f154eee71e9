import { status } from '@grpc/grpc-js';
import { type Delivery, DeliveryQueue } from './delivery-queue';
import { alreadyExists, invalidArgument, notFound, PubSubError } from './errors';
import { deadLetterMessage } from './dead-letter';
import { DeliveryFaultInjector } from './delivery-faults';
import { type PublishableMessage, type StoredMessage, validatePublish } from './messages';
import {
  DELETED_TOPIC,
  parseProjectName,
  parseSnapshotName,
  parseSubscriptionName,
  parseTopicName,
  type ResourceName,
} from './names';
import { inPublishOrder, snapshotExpiry, type SnapshotRecord, toWireSnapshot } from './snapshots';
import { type Page, page } from './paging';
import { PushConsumer } from './push';
import {
  MAX_ACK_DEADLINE_SECONDS,
  parsePushConfig,
  parseSubscription,
  redeliveryDelayMs,
  type SubscriptionConfig,
  toWireSubscription,
  updateSubscription,
} from './subscription-config';
import type {
  FieldMask,
  WirePubsubMessage,
  WirePushConfig,
  WireSnapshot,
  WireSubscription,
  WireTimestamp,
  WireTopic,
} from './wire';
import { timestampMs } from './time';

interface TopicRecord {
  readonly name: ResourceName;
  labels: Readonly<Record<string, string>>;
  /** Full names of the subscriptions attached to it. */
  readonly subscriptions: Set<string>;
}

/** A subscription with its backlog and, for push subscriptions, the worker delivering it. */
export interface SubscriptionRecord {
  config: SubscriptionConfig;
  readonly queue: DeliveryQueue;
  push: PushConsumer | undefined;
  /** Acknowledged messages, kept only with retain_acked_messages, for a Seek to a time. */
  retainedAcked: StoredMessage[];
}

function inProject(project: string | undefined, name: ResourceName): boolean {
  return project === undefined || name.project === project;
}

/** Topics, subscriptions and the fan-out between them: the state behind the Publisher and Subscriber RPCs. */
/** Checks an update mask of a resource whose only updatable field here is `labels`. */
function requireLabelsMask(mask: FieldMask | undefined, resource: 'Topic' | 'Snapshot'): void {
  const paths = mask?.paths ?? [];
  if (paths.length === 0) throw invalidArgument('update_mask must name at least one field to update.');
  for (const path of paths) {
    if (path !== 'labels') {
      throw invalidArgument(
        `Invalid update_mask provided in the Update${resource}Request: ${path} is not a ${resource} field this emulator updates.`,
      );
    }
  }
}

export class Broker {
  private readonly topics = new Map<string, TopicRecord>();
  private readonly subscriptions = new Map<string, SubscriptionRecord>();
  private readonly snapshots = new Map<string, SnapshotRecord>();
  private messageCounter = 0;
  /** Injected delivery faults of every subscription (off by default), replaced through PubSubAdmin. */
  readonly deliveryFaults = new DeliveryFaultInjector();

  /**
   * @param backoffScale multiplies every redelivery backoff, so tests need not wait 10 s per retry.
   * @param now the clock of publish times, retention and snapshot expiry (tests move it by days)
   */
  constructor(
    private readonly backoffScale: number,
    private readonly now: () => number = Date.now,
  ) {}

  createTopic(topic: WireTopic): WireTopic {
    const name = parseTopicName(topic.name);
    if (this.topics.has(name.name)) throw alreadyExists(name.id);
    const record: TopicRecord = { name, labels: { ...topic.labels }, subscriptions: new Set() };
    this.topics.set(name.name, record);
    return this.toWireTopic(record);
  }

  getTopic(topicName: string | undefined): WireTopic {
    return this.toWireTopic(this.topic(topicName));
  }

  listTopics(projectName: string | undefined, pageSize?: number, pageToken?: string): Page<WireTopic> {
    const project = parseProjectName(projectName);
    const topics = [...this.topics.values()].filter((topic) => topic.name.project === project);
    const result = page(topics, (topic) => topic.name.name, pageSize, pageToken);
    return {
      items: result.items.map((topic) => this.toWireTopic(topic)),
      nextPageToken: result.nextPageToken,
    };
  }

  /** The topic goes; its subscriptions stay and keep their backlog, detached from any topic. */
  deleteTopic(topicName: string | undefined): void {
    const topic = this.topic(topicName);
    this.topics.delete(topic.name.name);
    for (const subscription of topic.subscriptions) {
      const record = this.subscriptions.get(subscription);
      if (record) record.config.topic = DELETED_TOPIC;
    }
  }

  /** Only `labels` is updatable here; the other Topic fields are features this emulator does not model. */
  updateTopic(topic: WireTopic | undefined, mask: FieldMask | undefined): WireTopic {
    const record = this.topic(topic?.name);
    requireLabelsMask(mask, 'Topic');
    record.labels = { ...topic?.labels };
    return this.toWireTopic(record);
  }

  listTopicSubscriptions(topicName: string | undefined, pageSize?: number, pageToken?: string): Page<string> {
    const topic = this.topic(topicName);
    return page([...topic.subscriptions], (name) => name, pageSize, pageToken);
  }

  /** Validates the whole request first, then fans every message out to the topic's current subscriptions. */
  publish(topicName: string | undefined, messages: readonly WirePubsubMessage[]): string[] {
    const topic = this.topic(topicName);
    return validatePublish(messages).map((message) => this.fanOut(topic, message).id);
  }

  createSubscription(subscription: WireSubscription): WireSubscription {
    const config = parseSubscription(subscription);
    if (this.subscriptions.has(config.name.name)) throw alreadyExists(config.name.id);
    const topic = this.topic(config.topic);
    if (config.deadLetter) this.topic(config.deadLetter.topic);
    // The policy reads record.config at each call, so that UpdateSubscription takes effect at once.
    const record: SubscriptionRecord = {
      config,
      queue: new DeliveryQueue(
        config.enableMessageOrdering,
        {
          acknowledged: (message) => {
            if (record.config.retainAckedMessages) record.retainedAcked.push(message);
          },
          maxDeliveryAttempts: () => record.config.deadLetter?.maxDeliveryAttempts,
          redeliveryDelayMs: (attempts) => redeliveryDelayMs(record.config, attempts, this.backoffScale),
          deadLetter: (delivery, reason) => this.deadLetter(record.config, delivery, reason),
        },
        this.deliveryFaults,
      ),
      push: undefined,
      retainedAcked: [],
    };
    this.subscriptions.set(config.name.name, record);
    topic.subscriptions.add(config.name.name);
    this.attachPushWorker(record);
    return toWireSubscription(config);
  }

  getSubscription(subscriptionName: string | undefined): WireSubscription {
    return toWireSubscription(this.subscription(subscriptionName).config);
  }

  listSubscriptions(
    projectName: string | undefined,
    pageSize?: number,
    pageToken?: string,
  ): Page<WireSubscription> {
    const project = parseProjectName(projectName);
    const configs = [...this.subscriptions.values()]
      .map((record) => record.config)
      .filter((config) => config.name.project === project);
    const result = page(configs, (config) => config.name.name, pageSize, pageToken);
    return { items: result.items.map(toWireSubscription), nextPageToken: result.nextPageToken };
  }

  /** Applies the masked fields; a push config change moves deliveries like ModifyPushConfig does. */
  updateSubscription(
    subscription: WireSubscription | undefined,
    mask: FieldMask | undefined,
  ): WireSubscription {
    const record = this.subscription(subscription?.name);
    const config = updateSubscription(record.config, subscription ?? {}, mask?.paths ?? []);
    if (config.deadLetter) this.topic(config.deadLetter.topic);
    record.config = config;
    if (!config.retainAckedMessages) record.retainedAcked = [];
    this.attachPushWorker(record);
    return toWireSubscription(config);
  }

  /**
   * The subscription stays, marked detached, but leaves its topic: its backlog is dropped, nothing new
   * reaches it, and pulls and streams end with FAILED_PRECONDITION.
   */
  detachSubscription(subscriptionName: string | undefined): void {
    const record = this.subscription(subscriptionName);
    if (record.config.detached) return;
    record.config.detached = true;
    record.retainedAcked = [];
    this.topics.get(record.config.topic)?.subscriptions.delete(record.config.name.name);
    record.queue.close(detached(record.config));
  }

  /** Captures the subscription's unacknowledged messages; messages published later join the snapshot. */
  createSnapshot(
    snapshotName: string | undefined,
    subscriptionName: string | undefined,
    labels: Record<string, string> | undefined,
  ): WireSnapshot {
    const name = parseSnapshotName(snapshotName);
    const record = this.attachedSubscription(subscriptionName);
    this.dropExpiredSnapshots();
    if (this.snapshots.has(name.name)) throw alreadyExists(name.id);
    const messages = inPublishOrder(record.queue.unsettledMessages());
    const expireMs = snapshotExpiry(messages[0]?.publishTimeMs, this.now());
    if (expireMs === undefined) {
      throw new PubSubError(
        status.FAILED_PRECONDITION,
        'The subscription backlog is too old: a snapshot of it would expire in less than 1 hour.',
      );
    }
    const snapshot: SnapshotRecord = {
      name,
      topic: record.config.topic,
      labels: { ...labels },
      expireMs,
      messages,
    };
    this.snapshots.set(name.name, snapshot);
    return toWireSnapshot(snapshot);
  }

  listSnapshots(projectName: string | undefined, pageSize?: number, pageToken?: string): Page<WireSnapshot> {
    const project = parseProjectName(projectName);
    this.dropExpiredSnapshots();
    const snapshots = [...this.snapshots.values()].filter((snapshot) => snapshot.name.project === project);
    const result = page(snapshots, (snapshot) => snapshot.name.name, pageSize, pageToken);
    return { items: result.items.map(toWireSnapshot), nextPageToken: result.nextPageToken };
  }

  getSnapshot(snapshotName: string | undefined): WireSnapshot {
    return toWireSnapshot(this.snapshot(snapshotName));
  }

  /** Only `labels` is updatable: the topic is fixed and the expiry follows from the messages held. */
  updateSnapshot(snapshot: WireSnapshot | undefined, mask: FieldMask | undefined): WireSnapshot {
    const record = this.snapshot(snapshot?.name);
    requireLabelsMask(mask, 'Snapshot');
    const updated: SnapshotRecord = { ...record, labels: { ...snapshot?.labels } };
    this.snapshots.set(record.name.name, updated);
    return toWireSnapshot(updated);
  }

  deleteSnapshot(snapshotName: string | undefined): void {
    this.snapshots.delete(this.snapshot(snapshotName).name.name);
  }

  /**
   * Seek to a snapshot: its messages become the backlog, everything else counts as acknowledged. Seek to
   * a time: what was published at or after it becomes the backlog (acknowledged messages only where they
   * were retained), what was published before counts as acknowledged.
   */
  seek(subscriptionName: string | undefined, target: { snapshot?: string; time?: WireTimestamp }): void {
    const record = this.attachedSubscription(subscriptionName);
    const retentionStart = this.now() - record.config.messageRetentionMs;
    const known = inPublishOrder([...record.queue.unsettledMessages(), ...record.retainedAcked]).filter(
      (message) => message.publishTimeMs >= retentionStart,
    );
    let backlog: StoredMessage[];
    if (target.snapshot !== undefined) {
      const snapshot = this.snapshot(target.snapshot);
      if (snapshot.topic !== record.config.topic) {
        throw new PubSubError(
          status.FAILED_PRECONDITION,
          `The snapshot's topic (${snapshot.topic}) is not the subscription's topic (${record.config.topic}).`,
        );
      }
      backlog = [...snapshot.messages];
    } else if (target.time) {
      const time = timestampMs(target.time);
      backlog = known.filter((message) => message.publishTimeMs >= time);
    } else {
      throw invalidArgument('A seek needs a time or a snapshot.');
    }
    const replayed = new Set(backlog.map((message) => message.id));
    record.retainedAcked = record.config.retainAckedMessages
      ? known.filter((message) => !replayed.has(message.id))
      : [];
    record.queue.replaceBacklog(backlog);
  }

  /** Drops the backlog; open pulls and streams end with NOT_FOUND. */
  deleteSubscription(subscriptionName: string | undefined): void {
    const record = this.subscription(subscriptionName);
    this.removeSubscription(record, notFound(record.config.name.id));
  }

  /** Switches between push and pull, or moves the push endpoint; deliveries in flight finish as they are. */
  modifyPushConfig(subscriptionName: string | undefined, pushConfig: WirePushConfig | undefined): void {
    const record = this.subscription(subscriptionName);
    if (!pushConfig) throw invalidArgument('push_config is required.');
    record.config.push = parsePushConfig(pushConfig);
    this.attachPushWorker(record);
  }

  acknowledge(subscriptionName: string | undefined, ackIds: readonly string[]): void {
    const record = this.attachedSubscription(subscriptionName);
    if (ackIds.length === 0) throw invalidArgument('ack_ids must not be empty.');
    for (const ackId of ackIds) record.queue.acknowledge(ackId);
  }

  modifyAckDeadline(subscriptionName: string | undefined, ackIds: readonly string[], seconds: number): void {
    const record = this.attachedSubscription(subscriptionName);
    if (ackIds.length === 0) throw invalidArgument('ack_ids must not be empty.');
    validateModifyDeadline(seconds);
    for (const ackId of ackIds) record.queue.modifyAckDeadline(ackId, seconds);
  }

  /** The subscription or NOT_FOUND. */
  subscription(subscriptionName: string | undefined): SubscriptionRecord {
    const name = parseSubscriptionName(subscriptionName);
    const record = this.subscriptions.get(name.name);
    if (!record) throw notFound(name.id);
    return record;
  }

  /** The subscription, NOT_FOUND or FAILED_PRECONDITION once detached: for pulls, acks and seeks. */
  attachedSubscription(subscriptionName: string | undefined): SubscriptionRecord {
    const record = this.subscription(subscriptionName);
    if (record.config.detached) throw detached(record.config);
    return record;
  }

  /** Deletes the topics and subscriptions of one project, or of all projects when `project` is undefined. */
  reset(project?: string): void {
    for (const record of [...this.subscriptions.values()]) {
      if (inProject(project, record.config.name))
        this.removeSubscription(record, notFound(record.config.name.id));
    }
    for (const topic of [...this.topics.values()]) {
      if (inProject(project, topic.name)) this.topics.delete(topic.name.name);
    }
    for (const snapshot of [...this.snapshots.values()]) {
      if (inProject(project, snapshot.name)) this.snapshots.delete(snapshot.name.name);
    }
  }

  /** Ends every pull, stream and push delivery with UNAVAILABLE, so clients reconnect to a later emulator. */
  close(): void {
    const shuttingDown = new PubSubError(status.UNAVAILABLE, 'The Pub/Sub emulator is shutting down.');
    for (const record of [...this.subscriptions.values()]) this.removeSubscription(record, shuttingDown);
    this.topics.clear();
    this.snapshots.clear();
  }

  private topic(topicName: string | undefined): TopicRecord {
    const name = parseTopicName(topicName);
    const topic = this.topics.get(name.name);
    if (!topic) throw notFound(name.id);
    return topic;
  }

  /** Pub/Sub deletes a snapshot at its expire time; here it goes the next time snapshots are looked at. */
  private dropExpiredSnapshots(): void {
    const now = this.now();
    for (const [name, snapshot] of this.snapshots) if (snapshot.expireMs <= now) this.snapshots.delete(name);
  }

  private snapshot(snapshotName: string | undefined): SnapshotRecord {
    const name = parseSnapshotName(snapshotName);
    this.dropExpiredSnapshots();
    const snapshot = this.snapshots.get(name.name);
    if (!snapshot) throw notFound(name.id);
    return snapshot;
  }

  private toWireTopic(topic: TopicRecord): WireTopic {
    return { name: topic.name.name, labels: { ...topic.labels } };
  }

  private fanOut(topic: TopicRecord, message: PublishableMessage): StoredMessage {
    this.messageCounter += 1;
    const stored: StoredMessage = { ...message, id: String(this.messageCounter), publishTimeMs: this.now() };
    for (const subscription of topic.subscriptions) {
      this.subscriptions.get(subscription)?.queue.enqueue(stored);
    }
    for (const snapshot of this.snapshots.values()) {
      if (snapshot.topic === topic.name.name) snapshot.messages.push(stored);
    }
    return stored;
  }

  private removeSubscription(record: SubscriptionRecord, error: PubSubError): void {
    this.subscriptions.delete(record.config.name.name);
    this.topics.get(record.config.topic)?.subscriptions.delete(record.config.name.name);
    record.queue.close(error);
  }

  private attachPushWorker(record: SubscriptionRecord): void {
    if (record.push) record.queue.removeConsumer(record.push);
    const endpoint = record.config.push?.endpoint;
    record.push = endpoint ? new PushConsumer(endpoint, record.config, record.queue) : undefined;
    if (record.push) record.queue.addConsumer(record.push);
  }

  /** Dead-lettering is best effort in Pub/Sub too: without the topic the message is dropped. */
  private deadLetter(config: SubscriptionConfig, delivery: Delivery, reason: string | undefined): void {
    const target = config.deadLetter && this.topics.get(config.deadLetter.topic);
    if (!target) {
      console.warn(`pubsub emulator: dead-letter topic of ${config.name.name} is gone; message dropped`);
      return;
    }
    this.fanOut(target, deadLetterMessage(config, delivery, reason));
  }
}

function detached(config: SubscriptionConfig): PubSubError {
  return new PubSubError(
    status.FAILED_PRECONDITION,
    `Subscription ${config.name.name} is detached from its topic.`,
  );
}

function validateModifyDeadline(seconds: number): void {
  if (seconds < 0 || seconds > MAX_ACK_DEADLINE_SECONDS) {
    throw invalidArgument(
      `ack_deadline_seconds must be between 0 and ${MAX_ACK_DEADLINE_SECONDS}, got ${seconds}.`,
    );
  }
}
