import { invalidArgument } from './errors';
import { toWireTimestamp } from './time';
import type { WirePubsubMessage } from './wire';

/** A published message as every subscription of its topic delivers it. */
export interface StoredMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  /** Empty when the publisher gave none. */
  readonly orderingKey: string;
  readonly publishTimeMs: number;
  /** Data, attribute and ordering key bytes: what flow control counts. */
  readonly size: number;
}

/** Pub/Sub quotas and limits (cloud.google.com/pubsub/quotas#resource_limits). */
const LIMITS = {
  messagesPerRequest: 1000,
  requestBytes: 10 * 1024 * 1024,
  messageBytes: 10 * 1024 * 1024,
  attributesPerMessage: 100,
  attributeKeyBytes: 256,
  attributeValueBytes: 1024,
  orderingKeyBytes: 1024,
} as const;

const EMPTY_MESSAGE =
  'One or more messages in the publish request is empty. Each message must contain either non-empty data, or at least one attribute.';

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function validateAttributes(attributes: Record<string, string>): void {
  const entries = Object.entries(attributes);
  if (entries.length > LIMITS.attributesPerMessage) {
    throw invalidArgument(`A message may have at most ${LIMITS.attributesPerMessage} attributes.`);
  }
  for (const [key, value] of entries) {
    if (key === '' || byteLength(key) > LIMITS.attributeKeyBytes) {
      throw invalidArgument(`Attribute keys must be 1 to ${LIMITS.attributeKeyBytes} bytes: "${key}".`);
    }
    if (/^goog/i.test(key)) throw invalidArgument(`Attribute key "${key}" uses the reserved prefix "goog".`);
    if (byteLength(value) > LIMITS.attributeValueBytes) {
      throw invalidArgument(`The value of attribute "${key}" exceeds ${LIMITS.attributeValueBytes} bytes.`);
    }
  }
}

/** A message as published: what the publisher may set, and its size. */
export interface PublishableMessage {
  readonly data: Buffer;
  readonly attributes: Record<string, string>;
  readonly orderingKey: string;
  readonly size: number;
}

/** Measures a message without validating it (the emulator's own republishing, such as dead-lettering). */
export function publishable(
  data: Buffer,
  attributes: Record<string, string>,
  orderingKey: string,
): PublishableMessage {
  const attributeBytes = Object.entries(attributes).reduce(
    (sum, [key, value]) => sum + byteLength(key) + byteLength(value),
    0,
  );
  return { data, attributes, orderingKey, size: data.length + attributeBytes + byteLength(orderingKey) };
}

/**
 * Checks a Publish request's messages the way the service does; the whole request fails with
 * INVALID_ARGUMENT if any message is invalid, so nothing of it is published.
 */
export function validatePublish(messages: readonly WirePubsubMessage[]): PublishableMessage[] {
  if (messages.length === 0) throw invalidArgument('The publish request must contain at least one message.');
  if (messages.length > LIMITS.messagesPerRequest) {
    throw invalidArgument(`A publish request may contain at most ${LIMITS.messagesPerRequest} messages.`);
  }
  const validated = messages.map((message) => {
    const data = message.data ?? Buffer.alloc(0);
    const attributes = message.attributes ?? {};
    const orderingKey = message.orderingKey ?? '';
    if (data.length === 0 && Object.keys(attributes).length === 0) throw invalidArgument(EMPTY_MESSAGE);
    validateAttributes(attributes);
    if (byteLength(orderingKey) > LIMITS.orderingKeyBytes) {
      throw invalidArgument(`Ordering keys may be at most ${LIMITS.orderingKeyBytes} bytes.`);
    }
    const measured = publishable(data, attributes, orderingKey);
    if (measured.size > LIMITS.messageBytes) {
      throw invalidArgument(`A message may be at most ${LIMITS.messageBytes} bytes.`);
    }
    return measured;
  });
  if (validated.reduce((sum, message) => sum + message.size, 0) > LIMITS.requestBytes) {
    throw invalidArgument(`A publish request may be at most ${LIMITS.requestBytes} bytes.`);
  }
  return validated;
}

/** The PubsubMessage a subscriber receives. */
export function toWireMessage(message: StoredMessage): WirePubsubMessage {
  return {
    data: message.data,
    attributes: { ...message.attributes },
    messageId: message.id,
    publishTime: toWireTimestamp(message.publishTimeMs),
    orderingKey: message.orderingKey,
  };
}

/** Publish time as RFC 3339 in UTC with milliseconds, as push requests carry it. */
export function publishTimeText(message: StoredMessage): string {
  return new Date(message.publishTimeMs).toISOString();
}
