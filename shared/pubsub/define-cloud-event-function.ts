import { cloudEvent, type CloudEvent } from '@google-cloud/functions-framework';
import * as z from 'zod';
import { getConfig } from '../config/config';
import { installFrameworkErrorResponses } from '../http/framework-error-responses';
import type { RegisteredFunction } from '../http/registered-function';
import { elapsedSince, logger } from '../logging/logger';
import { parseTraceHeaders, runWithTraceContext } from '../logging/trace-context';

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
 * The handler of one delivery: it runs in its own log context (the function's name, and the trace of the
 * CloudEvent's `traceparent` extension when the publisher set one) and ends in one structured line, as an
 * HTTP request does. A failure is logged and rethrown, so Pub/Sub redelivers.
 */
export function deliveryHandler<TMessage>(
  spec: CloudEventFunctionSpec<TMessage>,
): (event: CloudEvent<unknown>) => Promise<void> {
  return (event) => {
    const traceparent: unknown = event['traceparent'];
    const trace = parseTraceHeaders(typeof traceparent === 'string' ? traceparent : undefined, undefined);
    return runWithTraceContext({ ...trace, functionName: spec.name }, async () => {
      const startedAt = process.hrtime.bigint();
      try {
        await spec.handle(decodePubSubMessage(event.data, spec.message));
        logger.info(`${spec.name} delivery handled`, { eventId: event.id, latency: elapsedSince(startedAt) });
      } catch (error) {
        logger.error('event function failed; Pub/Sub will redeliver', {
          eventId: event.id,
          latency: elapsedSince(startedAt),
          err: error,
        });
        throw error;
      }
    });
  };
}

/**
 * Registers a Pub/Sub subscriber with the functions-framework. A thrown error answers the push delivery
 * with an error status, so Pub/Sub redelivers (and dead-letters a message that keeps failing, a malformed
 * one included, where an operator can inspect it); handlers must therefore be idempotent. The configuration
 * is validated here, when the module loads, so that a misconfigured deployment fails to start instead of
 * failing every delivery.
 */
export function defineCloudEventFunction<TMessage>(
  spec: CloudEventFunctionSpec<TMessage>,
): RegisteredFunction {
  getConfig();
  installFrameworkErrorResponses();
  cloudEvent(spec.name, deliveryHandler(spec));
  return { name: spec.name, signature: 'cloudevent', visibility: 'internal' };
}
