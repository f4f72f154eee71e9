import { status } from '@grpc/grpc-js';
import { PubSub, type Topic } from '@google-cloud/pubsub';

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

async function ensurePushSubscription(pubsub: PubSub, trigger: PushTriggerSpec): Promise<void> {
  const topic = await ensureTopic(pubsub, trigger.topic);
  const deadLetterTopic = trigger.deadLetterTopic
    ? await ensureTopic(pubsub, trigger.deadLetterTopic)
    : undefined;
  try {
    await topic.createSubscription(trigger.subscription, {
      pushConfig: { pushEndpoint: trigger.pushEndpoint },
      ackDeadlineSeconds: PUSH_ACK_DEADLINE_SECONDS,
      retryPolicy: EVENTARC_RETRY_POLICY,
      enableMessageOrdering: trigger.orderingEnabled ?? false,
      deadLetterPolicy: deadLetterTopic
        ? { deadLetterTopic: deadLetterTopic.name, maxDeliveryAttempts: trigger.maxDeliveryAttempts ?? 5 }
        : undefined,
    });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    // A subscription kept from an earlier run follows the endpoint, which moves with the functions' port.
    await pubsub.subscription(trigger.subscription).modifyPushConfig({ pushEndpoint: trigger.pushEndpoint });
  }
}

/**
 * Creates the topics and push subscriptions that wire Pub/Sub to event functions, the way the Terraform
 * Eventarc triggers configure production, through the real SDK against the emulator at `address`.
 * Idempotent: existing topics are kept and existing subscriptions only get their push endpoint updated.
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
