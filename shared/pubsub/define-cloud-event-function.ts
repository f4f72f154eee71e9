import { cloudEvent, type CloudEvent } from '@google-cloud/functions-framework';
import { z } from 'zod';
import type { RegisteredFunction } from '../http/registered-function';
import { logger } from '../logging/logger';

/** The CloudEvent data of a Pub/Sub message (`google.cloud.pubsub.topic.v1.messagePublished`). */
const messagePublishedSchema = z.object({
  message: z.object({ data: z.string(), messageId: z.string().optional() }),
});

/** Declaration of one Pub/Sub subscriber function. */
export interface CloudEventFunctionSpec<TMessage> {
  readonly name: string;
  /** Schema of the message's JSON payload. */
  readonly message: z.ZodType<TMessage>;
  readonly handle: (message: TMessage) => Promise<void>;
}

/** Decodes the base64 JSON payload of a push delivery and validates it. */
export function decodePubSubMessage<T>(data: unknown, schema: z.ZodType<T>): T {
  const envelope = messagePublishedSchema.parse(data);
  const json: unknown = JSON.parse(Buffer.from(envelope.message.data, 'base64').toString('utf8'));
  return schema.parse(json);
}

/**
 * Registers a Pub/Sub subscriber with the functions-framework. A thrown error answers the push delivery
 * with an error status, so Pub/Sub redelivers (and dead-letters a message that keeps failing, a malformed
 * one included, where an operator can inspect it); handlers must therefore be idempotent.
 */
export function defineCloudEventFunction<TMessage>(
  spec: CloudEventFunctionSpec<TMessage>,
): RegisteredFunction {
  cloudEvent(spec.name, async (event: CloudEvent<unknown>) => {
    try {
      await spec.handle(decodePubSubMessage(event.data, spec.message));
    } catch (error) {
      logger.error('event function failed; Pub/Sub will redeliver', {
        function: spec.name,
        eventId: event.id,
        err: error,
      });
      throw error;
    }
  });
  return { name: spec.name, signature: 'cloudevent', visibility: 'internal' };
}
