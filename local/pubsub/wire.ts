/**
 * The shapes of the google.pubsub.v1 messages this emulator reads and writes, as @grpc/proto-loader decodes
 * them with the options in proto.ts: camelCase names, 64-bit integers as decimal strings, enums as names,
 * bytes as Buffers, repeated and map fields always present, a discriminator for each oneof, and absent
 * message fields left undefined (so presence can be told apart from an empty message).
 */

export interface WireTimestamp {
  seconds?: string | number;
  nanos?: number;
}

export interface WireDuration {
  seconds?: string | number;
  nanos?: number;
}

export interface WirePubsubMessage {
  data?: Buffer;
  attributes?: Record<string, string>;
  messageId?: string;
  publishTime?: WireTimestamp;
  orderingKey?: string;
}

export interface WireTopic {
  name?: string;
  labels?: Record<string, string>;
}

export interface WirePushConfig {
  pushEndpoint?: string;
  attributes?: Record<string, string>;
  oidcToken?: { serviceAccountEmail?: string; audience?: string };
  authenticationMethod?: 'oidcToken';
  pubsubWrapper?: Record<string, never>;
  noWrapper?: { writeMetadata?: boolean };
  wrapper?: 'pubsubWrapper' | 'noWrapper';
}

export interface WireDeadLetterPolicy {
  deadLetterTopic?: string;
  maxDeliveryAttempts?: number;
}

export interface WireRetryPolicy {
  minimumBackoff?: WireDuration;
  maximumBackoff?: WireDuration;
}

export interface WireSubscription {
  name?: string;
  topic?: string;
  pushConfig?: WirePushConfig;
  bigqueryConfig?: object;
  cloudStorageConfig?: object;
  bigtableConfig?: object;
  ackDeadlineSeconds?: number;
  retainAckedMessages?: boolean;
  messageRetentionDuration?: WireDuration;
  labels?: Record<string, string>;
  enableMessageOrdering?: boolean;
  filter?: string;
  deadLetterPolicy?: WireDeadLetterPolicy;
  retryPolicy?: WireRetryPolicy;
  detached?: boolean;
  enableExactlyOnceDelivery?: boolean;
  state?: string;
}

export interface WireReceivedMessage {
  ackId: string;
  message: WirePubsubMessage;
  deliveryAttempt?: number;
}

export interface PublishRequest {
  topic?: string;
  messages?: WirePubsubMessage[];
}

export interface TopicRequest {
  topic?: string;
}

export interface ProjectListRequest {
  project?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface TopicListRequest {
  topic?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface SubscriptionRequest {
  subscription?: string;
}

export interface ModifyPushConfigRequest {
  subscription?: string;
  pushConfig?: WirePushConfig;
}

export interface PullRequest {
  subscription?: string;
  returnImmediately?: boolean;
  maxMessages?: number;
}

export interface AcknowledgeRequest {
  subscription?: string;
  ackIds?: string[];
}

export interface ModifyAckDeadlineRequest {
  subscription?: string;
  ackIds?: string[];
  ackDeadlineSeconds?: number;
}

export interface StreamingPullRequest {
  subscription?: string;
  ackIds?: string[];
  modifyDeadlineSeconds?: number[];
  modifyDeadlineAckIds?: string[];
  streamAckDeadlineSeconds?: number;
  clientId?: string;
  maxOutstandingMessages?: string;
  maxOutstandingBytes?: string;
  protocolVersion?: string;
}

export interface StreamingPullResponse {
  receivedMessages: WireReceivedMessage[];
  subscriptionProperties: { exactlyOnceDeliveryEnabled: boolean; messageOrderingEnabled: boolean };
}

export interface FieldMask {
  paths?: string[];
}

export interface UpdateTopicRequest {
  topic?: WireTopic;
  updateMask?: FieldMask;
}

export interface UpdateSubscriptionRequest {
  subscription?: WireSubscription;
  updateMask?: FieldMask;
}

export interface WireSnapshot {
  name?: string;
  topic?: string;
  expireTime?: WireTimestamp;
  labels?: Record<string, string>;
}

export interface UpdateSnapshotRequest {
  snapshot?: WireSnapshot;
  updateMask?: FieldMask;
}

export interface CreateSnapshotRequest {
  name?: string;
  subscription?: string;
  labels?: Record<string, string>;
}

export interface SnapshotRequest {
  snapshot?: string;
}

export interface SeekRequest {
  subscription?: string;
  time?: WireTimestamp;
  snapshot?: string;
  target?: 'time' | 'snapshot';
}

export interface ResetPubSubRequest {
  project?: string;
}

/** Delivery faults as the admin RPC carries them; checked against `deliveryFaultSettingsSchema`. */
export interface WireDeliveryFaults {
  duplicateFraction?: number;
  delayFraction?: number;
  delayMs?: number;
  dataContains?: string;
  seed?: number;
}
