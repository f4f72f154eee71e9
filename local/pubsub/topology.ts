import { status } from '@grpc/grpc-js';
import { PubSub, type protos, type Topic } from '@google-cloud/pubsub';

type ISubscription = protos.google.pubsub.v1.ISubscription;

/** One function trigger: messages published to `topic` are pushed to `pushEndpoint`. */
export interface PushTriggerSpec {
  topic: string;
  subscription: string;
  /** The function's URL; end it with `/projects/P/topics/T` to give its CloudEvent the topic as source. */
  pushEndpoint: string;
  /** Topic id that receives messages the function failed `maxDeliveryAttempts` times. */
  deadLetterTopic?: string;
  /** 5 to 100; default 5 (only with deadLetterTopic). */
  maxDeliveryAttempts?: number;
  orderingEnabled?: boolean;
}

/**
 * The retry policy of the push subscriptions Eventarc creates for event functions with retries enabled
 * (cloud.google.com/eventarc/docs/retry-events): exponential backoff from 10 s to 600 s.
 */
const EVENTARC_RETRY_POLICY = { minimumBackoff: { seconds: 10 }, maximumBackoff: { seconds: 600 } };
/** The push request timeout: the maximum, so that the function's own timeout ends a slow delivery. */
const PUSH_ACK_DEADLINE_SECONDS = 600;

function isAlreadyExists(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === status.ALREADY_EXISTS
  );
}

async function ensureTopic(pubsub: PubSub, id: string): Promise<Topic> {
  const topic = pubsub.topic(id);
  try {
    await topic.create();
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  return topic;
}

/** The subscription settings a trigger asks for, as the SDK's createSubscription and setMetadata take them. */
interface PushSubscriptionSettings {
  pushConfig: { pushEndpoint: string };
  ackDeadlineSeconds: number;
  retryPolicy: typeof EVENTARC_RETRY_POLICY;
  enableMessageOrdering: boolean;
  deadLetterPolicy: { deadLetterTopic: string; maxDeliveryAttempts: number } | null;
}

const seconds = (duration: protos.google.protobuf.IDuration | null | undefined): number =>
  Number(duration?.seconds ?? 0);

/** The updatable settings of `current` that differ from `wanted`, ready for one UpdateSubscription. */
function changedSettings(
  current: ISubscription,
  wanted: PushSubscriptionSettings,
): Partial<PushSubscriptionSettings> {
  const changed: Partial<PushSubscriptionSettings> = {};
  if ((current.pushConfig?.pushEndpoint ?? '') !== wanted.pushConfig.pushEndpoint) {
    changed.pushConfig = wanted.pushConfig;
  }
  if (current.ackDeadlineSeconds !== wanted.ackDeadlineSeconds) {
    changed.ackDeadlineSeconds = wanted.ackDeadlineSeconds;
  }
  if (
    seconds(current.retryPolicy?.minimumBackoff) !== wanted.retryPolicy.minimumBackoff.seconds ||
    seconds(current.retryPolicy?.maximumBackoff) !== wanted.retryPolicy.maximumBackoff.seconds
  ) {
    changed.retryPolicy = wanted.retryPolicy;
  }
  const deadLetter = current.deadLetterPolicy?.deadLetterTopic ? current.deadLetterPolicy : undefined;
  if (
    deadLetter?.deadLetterTopic !== wanted.deadLetterPolicy?.deadLetterTopic ||
    (deadLetter !== undefined &&
      deadLetter.maxDeliveryAttempts !== wanted.deadLetterPolicy?.maxDeliveryAttempts)
  ) {
    changed.deadLetterPolicy = wanted.deadLetterPolicy;
  }
  return changed;
}

/**
 * Brings a subscription kept from an earlier run up to date: changed settings through one
 * UpdateSubscription (the push endpoint moves with the functions' port, and a trigger's retry or
 * dead-letter settings may have changed since); a changed topic or ordering, which Pub/Sub cannot update,
 * by deleting and recreating it, which drops its backlog.
 */
async function reconcileSubscription(
  pubsub: PubSub,
  topic: Topic,
  id: string,
  wanted: PushSubscriptionSettings,
): Promise<void> {
  const subscription = pubsub.subscription(id);
  const [current] = await subscription.getMetadata();
  if (
    current.topic !== topic.name ||
    (current.enableMessageOrdering ?? false) !== wanted.enableMessageOrdering
  ) {
    console.warn(`pubsub: recreating ${id}: its topic or message ordering changed, which cannot be updated`);
    await subscription.delete();
    await topic.createSubscription(id, wanted);
    return;
  }
  const changed = changedSettings(current, wanted);
  if (Object.keys(changed).length > 0) await subscription.setMetadata(changed);
}

async function ensurePushSubscription(pubsub: PubSub, trigger: PushTriggerSpec): Promise<void> {
  const topic = await ensureTopic(pubsub, trigger.topic);
  const deadLetterTopic = trigger.deadLetterTopic
    ? await ensureTopic(pubsub, trigger.deadLetterTopic)
    : undefined;
  const wanted: PushSubscriptionSettings = {
    pushConfig: { pushEndpoint: trigger.pushEndpoint },
    ackDeadlineSeconds: PUSH_ACK_DEADLINE_SECONDS,
    retryPolicy: EVENTARC_RETRY_POLICY,
    enableMessageOrdering: trigger.orderingEnabled ?? false,
    deadLetterPolicy: deadLetterTopic
      ? { deadLetterTopic: deadLetterTopic.name, maxDeliveryAttempts: trigger.maxDeliveryAttempts ?? 5 }
      : null,
  };
  try {
    await topic.createSubscription(trigger.subscription, wanted);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    await reconcileSubscription(pubsub, topic, trigger.subscription, wanted);
  }
}

/**
 * Creates the topics and push subscriptions that wire Pub/Sub to event functions, the way the Terraform
 * Eventarc triggers configure production, through the real SDK against the emulator at `address`.
 * Idempotent: existing topics are kept, and existing subscriptions are updated where their settings differ.
 */
export async function ensureTopicsAndPushSubscriptions(
  address: string,
  projectId: string,
  spec: readonly PushTriggerSpec[],
): Promise<void> {
  const pubsub = new PubSub({ projectId, apiEndpoint: address });
  try {
    for (const trigger of spec) await ensurePushSubscription(pubsub, trigger);
  } finally {
    await pubsub.close();
  }
}
