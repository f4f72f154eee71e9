import { status } from '@grpc/grpc-js';
import { invalidArgument, PubSubError, unsupported } from './errors';
import { parseSubscriptionName, parseTopicName, type ResourceName } from './names';
import { durationMs, toWireDuration } from './time';
import type { WireDeadLetterPolicy, WirePushConfig, WireRetryPolicy, WireSubscription } from './wire';

/** Where and how a push subscription delivers. */
export interface PushSettings {
  readonly endpoint: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** Exponential backoff bounds between redeliveries of one message. */
export interface Backoff {
  readonly minimumMs: number;
  readonly maximumMs: number;
}

/** A subscription's validated settings. */
export interface SubscriptionConfig {
  readonly name: ResourceName;
  /** The topic's full name, or `_deleted-topic_` once the topic is gone. */
  topic: string;
  readonly ackDeadlineSeconds: number;
  push: PushSettings | undefined;
  readonly deadLetter: { readonly topic: string; readonly maxDeliveryAttempts: number } | undefined;
  readonly retry: Backoff | undefined;
  readonly enableMessageOrdering: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly messageRetentionMs: number;
  /** Acknowledged messages stay within the retention window, so that a Seek to a time can replay them. */
  readonly retainAckedMessages: boolean;
  /** Detached from its topic by DetachSubscription: no deliveries, pulls fail. */
  detached: boolean;
}

const DEFAULT_ACK_DEADLINE_SECONDS = 10;
/** Pub/Sub accepts ack deadlines between 10 s and 10 min; ModifyAckDeadline allows 0 to 10 min. */
export const MIN_ACK_DEADLINE_SECONDS = 10;
export const MAX_ACK_DEADLINE_SECONDS = 600;
const DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;
const RETRY_DEFAULTS: Backoff = { minimumMs: 10_000, maximumMs: 600_000 };
const MAX_BACKOFF_MS = 600_000;
const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;
/**
 * Without a retry policy Pub/Sub redelivers pulled messages at once, but slows a failing push endpoint
 * down with its push backoff (100 ms doubling up to 60 s).
 */
const PUSH_BACKOFF: Backoff = { minimumMs: 100, maximumMs: 60_000 };

function parseAckDeadline(seconds: number | undefined): number {
  if (!seconds) return DEFAULT_ACK_DEADLINE_SECONDS;
  if (seconds < MIN_ACK_DEADLINE_SECONDS || seconds > MAX_ACK_DEADLINE_SECONDS) {
    throw invalidArgument(
      `ack_deadline_seconds must be between ${MIN_ACK_DEADLINE_SECONDS} and ${MAX_ACK_DEADLINE_SECONDS}, got ${seconds}.`,
    );
  }
  return seconds;
}

/** An empty or absent push config makes a pull subscription. */
export function parsePushConfig(config: WirePushConfig | undefined): PushSettings | undefined {
  if (config?.wrapper === 'noWrapper') throw unsupported('push subscriptions with no_wrapper');
  const endpoint = config?.pushEndpoint ?? '';
  if (endpoint === '') return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidArgument(`Invalid push endpoint given (endpoint=${endpoint}).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidArgument(`Invalid push endpoint given (endpoint=${endpoint}). It must be an http(s) URL.`);
  }
  return { endpoint, attributes: { 'x-goog-version': 'v1', ...config?.attributes } };
}

function parseDeadLetter(policy: WireDeadLetterPolicy | undefined): SubscriptionConfig['deadLetter'] {
  if (!policy?.deadLetterTopic) return undefined;
  const topic = parseTopicName(policy.deadLetterTopic).name;
  const attempts = policy.maxDeliveryAttempts || DEFAULT_MAX_DELIVERY_ATTEMPTS;
  if (attempts < 5 || attempts > 100) {
    // The documentation gives the range but not the status; Google's emulator answers OUT_OF_RANGE.
    throw new PubSubError(
      status.OUT_OF_RANGE,
      `max_delivery_attempts must be between 5 and 100, got ${attempts}.`,
    );
  }
  return { topic, maxDeliveryAttempts: attempts };
}

function parseRetry(policy: WireRetryPolicy | undefined): Backoff | undefined {
  if (!policy) return undefined;
  const minimumMs = policy.minimumBackoff
    ? durationMs(policy.minimumBackoff, 'minimum_backoff')
    : RETRY_DEFAULTS.minimumMs;
  const maximumMs = policy.maximumBackoff
    ? durationMs(policy.maximumBackoff, 'maximum_backoff')
    : RETRY_DEFAULTS.maximumMs;
  if (minimumMs > MAX_BACKOFF_MS || maximumMs > MAX_BACKOFF_MS) {
    throw invalidArgument('Retry policy backoffs must be at most 600 seconds.');
  }
  if (minimumMs > maximumMs) throw invalidArgument('minimum_backoff must not exceed maximum_backoff.');
  return { minimumMs, maximumMs };
}

function rejectUnsupported(subscription: WireSubscription): void {
  if (subscription.filter) throw unsupported('subscription filters');
  if (subscription.enableExactlyOnceDelivery) throw unsupported('exactly-once delivery');
  if (subscription.bigqueryConfig || subscription.cloudStorageConfig || subscription.bigtableConfig) {
    throw unsupported('export subscriptions (BigQuery, Cloud Storage, Bigtable)');
  }
}

/** Validates a CreateSubscription request; whether the topics exist is the caller's check. */
export function parseSubscription(subscription: WireSubscription): SubscriptionConfig {
  return parseSettings(
    parseSubscriptionName(subscription.name),
    parseTopicName(subscription.topic).name,
    subscription,
  );
}

function parseSettings(
  name: ResourceName,
  topic: string,
  subscription: WireSubscription,
): SubscriptionConfig {
  rejectUnsupported(subscription);
  return {
    name,
    topic,
    ackDeadlineSeconds: parseAckDeadline(subscription.ackDeadlineSeconds),
    push: parsePushConfig(subscription.pushConfig),
    deadLetter: parseDeadLetter(subscription.deadLetterPolicy),
    retry: parseRetry(subscription.retryPolicy),
    enableMessageOrdering: subscription.enableMessageOrdering ?? false,
    labels: { ...subscription.labels },
    messageRetentionMs: subscription.messageRetentionDuration
      ? durationMs(subscription.messageRetentionDuration, 'message_retention_duration')
      : DEFAULT_RETENTION_MS,
    retainAckedMessages: subscription.retainAckedMessages ?? false,
    detached: false,
  };
}

/**
 * The fields UpdateSubscription may change, by their update_mask path; the topic, name, filter and
 * message ordering are fixed at creation.
 */
const UPDATABLE_FIELDS = {
  ack_deadline_seconds: 'ackDeadlineSeconds',
  push_config: 'pushConfig',
  retry_policy: 'retryPolicy',
  dead_letter_policy: 'deadLetterPolicy',
  labels: 'labels',
  message_retention_duration: 'messageRetentionDuration',
  retain_acked_messages: 'retainAckedMessages',
} as const satisfies Record<string, keyof WireSubscription>;

function copyField<K extends keyof WireSubscription>(
  target: WireSubscription,
  source: WireSubscription,
  key: K,
): void {
  target[key] = source[key];
}

/**
 * The settings after an UpdateSubscription: the fields named in `paths` come from `update` (absent means
 * cleared or default), the others stay; validated like a new subscription. Whether a new dead-letter topic
 * exists is the caller's check.
 */
export function updateSubscription(
  current: SubscriptionConfig,
  update: WireSubscription,
  paths: readonly string[],
): SubscriptionConfig {
  if (paths.length === 0) throw invalidArgument('update_mask must name at least one field to update.');
  const merged = toWireSubscription(current);
  for (const path of paths) {
    if (!Object.hasOwn(UPDATABLE_FIELDS, path)) {
      throw invalidArgument(
        `Invalid update_mask provided in the UpdateSubscriptionRequest: ${path} is not a known Subscription field or cannot be updated.`,
      );
    }
    copyField(merged, update, UPDATABLE_FIELDS[path as keyof typeof UPDATABLE_FIELDS]);
  }
  return { ...parseSettings(current.name, current.topic, merged), detached: current.detached };
}

/** The Subscription resource as Get/List/Create return it, defaults filled in. */
export function toWireSubscription(config: SubscriptionConfig): WireSubscription {
  return {
    name: config.name.name,
    topic: config.topic,
    pushConfig: config.push
      ? { pushEndpoint: config.push.endpoint, attributes: { ...config.push.attributes } }
      : {},
    ackDeadlineSeconds: config.ackDeadlineSeconds,
    messageRetentionDuration: toWireDuration(config.messageRetentionMs),
    labels: { ...config.labels },
    enableMessageOrdering: config.enableMessageOrdering,
    deadLetterPolicy: config.deadLetter
      ? {
          deadLetterTopic: config.deadLetter.topic,
          maxDeliveryAttempts: config.deadLetter.maxDeliveryAttempts,
        }
      : undefined,
    retryPolicy: config.retry
      ? {
          minimumBackoff: toWireDuration(config.retry.minimumMs),
          maximumBackoff: toWireDuration(config.retry.maximumMs),
        }
      : undefined,
    retainAckedMessages: config.retainAckedMessages,
    detached: config.detached,
    state: 'ACTIVE',
  };
}

/**
 * How long a message waits before its next delivery after `attempts` failed ones: the retry policy's
 * exponential backoff, the push backoff for push subscriptions without one, else no wait; times `scale`.
 */
export function redeliveryDelayMs(config: SubscriptionConfig, attempts: number, scale: number): number {
  const backoff = config.retry ?? (config.push ? PUSH_BACKOFF : undefined);
  if (!backoff) return 0;
  return Math.min(backoff.maximumMs, backoff.minimumMs * 2 ** Math.max(0, attempts - 1)) * scale;
}
