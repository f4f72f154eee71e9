import type { Delivery } from './delivery-queue';
import { publishable, type PublishableMessage } from './messages';
import type { SubscriptionConfig } from './subscription-config';

/** Attributes Pub/Sub adds to a message it forwards to a dead-letter topic (pubsub/docs/handling-failures). */
const DEAD_LETTER_ATTRIBUTES = {
  deliveryCount: 'CloudPubSubDeadLetterSourceDeliveryCount',
  subscription: 'CloudPubSubDeadLetterSourceSubscription',
  subscriptionProject: 'CloudPubSubDeadLetterSourceSubscriptionProject',
  topicPublishTime: 'CloudPubSubDeadLetterSourceTopicPublishTime',
  errorMessage: 'CloudPubSubDeadLetterSourceDeliveryErrorMessage',
} as const;

/**
 * The message to publish on the dead-letter topic for a delivery that exhausted its attempts: the original
 * data, attributes and ordering key plus Pub/Sub's source attributes, so that whoever drains the dead-letter
 * topic can tell where and why the message failed. `reason` is the last push failure, if any.
 */
export function deadLetterMessage(
  config: SubscriptionConfig,
  delivery: Delivery,
  reason: string | undefined,
): PublishableMessage {
  const { message } = delivery;
  const attributes: Record<string, string> = {
    ...message.attributes,
    [DEAD_LETTER_ATTRIBUTES.deliveryCount]: String(delivery.attempts),
    [DEAD_LETTER_ATTRIBUTES.subscription]: config.name.id,
    [DEAD_LETTER_ATTRIBUTES.subscriptionProject]: config.name.project,
    // Pub/Sub writes this one with an explicit offset rather than "Z".
    [DEAD_LETTER_ATTRIBUTES.topicPublishTime]: new Date(message.publishTimeMs)
      .toISOString()
      .replace('Z', '+00:00'),
  };
  if (reason) attributes[DEAD_LETTER_ATTRIBUTES.errorMessage] = reason;
  return publishable(message.data, attributes, message.orderingKey);
}
