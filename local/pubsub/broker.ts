import { status } from '@grpc/grpc-js';
import { type Delivery, DeliveryQueue } from './delivery-queue';
import { alreadyExists, invalidArgument, notFound, PubSubError } from './errors';
import { deadLetterMessage } from './dead-letter';
import { type PublishableMessage, type StoredMessage, validatePublish } from './messages';
import {
  DELETED_TOPIC,
  parseProjectName,
  parseSubscriptionName,
  parseTopicName,
  type ResourceName,
} from './names';
import { type Page, page } from './paging';
import { PushConsumer } from './push';
import {
  MAX_ACK_DEADLINE_SECONDS,
  parsePushConfig,
  parseSubscription,
  redeliveryDelayMs,
  type SubscriptionConfig,
  toWireSubscription,
} from './subscription-config';
import type { WirePubsubMessage, WirePushConfig, WireSubscription, WireTopic } from './wire';

interface TopicRecord {
  readonly name: ResourceName;
  readonly labels: Readonly<Record<string, string>>;
  /** Full names of the subscriptions attached to it. */
  readonly subscriptions: Set<string>;
}

/** A subscription with its backlog and, for push subscriptions, the worker delivering it. */
export interface SubscriptionRecord {
  readonly config: SubscriptionConfig;
  readonly queue: DeliveryQueue;
  push: PushConsumer | undefined;
}

function inProject(project: string | undefined, name: ResourceName): boolean {
  return project === undefined || name.project === project;
}

/** Topics, subscriptions and the fan-out between them: the state behind the Publisher and Subscriber RPCs. */
export class Broker {
  private readonly topics = new Map<string, TopicRecord>();
  private readonly subscriptions = new Map<string, SubscriptionRecord>();
  private messageCounter = 0;

  /** @param backoffScale multiplies every redelivery backoff, so tests need not wait 10 s per retry. */
  constructor(private readonly backoffScale: number) {}

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
    const record: SubscriptionRecord = {
      config,
      queue: new DeliveryQueue(config.enableMessageOrdering, {
        maxDeliveryAttempts: () => config.deadLetter?.maxDeliveryAttempts,
        redeliveryDelayMs: (attempts) => redeliveryDelayMs(config, attempts, this.backoffScale),
        deadLetter: (delivery, reason) => this.deadLetter(config, delivery, reason),
      }),
      push: undefined,
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
    const record = this.subscription(subscriptionName);
    if (ackIds.length === 0) throw invalidArgument('ack_ids must not be empty.');
    for (const ackId of ackIds) record.queue.acknowledge(ackId);
  }

  modifyAckDeadline(subscriptionName: string | undefined, ackIds: readonly string[], seconds: number): void {
    const record = this.subscription(subscriptionName);
    if (ackIds.length === 0) throw invalidArgument('ack_ids must not be empty.');
    validateModifyDeadline(seconds);
    for (const ackId of ackIds) record.queue.modifyAckDeadline(ackId, seconds);
  }

  /** The subscription or NOT_FOUND, for the pull paths that attach consumers to its queue. */
  subscription(subscriptionName: string | undefined): SubscriptionRecord {
    const name = parseSubscriptionName(subscriptionName);
    const record = this.subscriptions.get(name.name);
    if (!record) throw notFound(name.id);
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
  }

  /** Ends every pull, stream and push delivery with UNAVAILABLE, so clients reconnect to a later emulator. */
  close(): void {
    const shuttingDown = new PubSubError(status.UNAVAILABLE, 'The Pub/Sub emulator is shutting down.');
    for (const record of [...this.subscriptions.values()]) this.removeSubscription(record, shuttingDown);
    this.topics.clear();
  }

  private topic(topicName: string | undefined): TopicRecord {
    const name = parseTopicName(topicName);
    const topic = this.topics.get(name.name);
    if (!topic) throw notFound(name.id);
    return topic;
  }

  private toWireTopic(topic: TopicRecord): WireTopic {
    return { name: topic.name.name, labels: { ...topic.labels } };
  }

  private fanOut(topic: TopicRecord, message: PublishableMessage): StoredMessage {
    this.messageCounter += 1;
    const stored: StoredMessage = { ...message, id: String(this.messageCounter), publishTimeMs: Date.now() };
    for (const subscription of topic.subscriptions) {
      this.subscriptions.get(subscription)?.queue.enqueue(stored);
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

function validateModifyDeadline(seconds: number): void {
  if (seconds < 0 || seconds > MAX_ACK_DEADLINE_SECONDS) {
    throw invalidArgument(
      `ack_deadline_seconds must be between 0 and ${MAX_ACK_DEADLINE_SECONDS}, got ${seconds}.`,
    );
  }
}
