import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { MessagePublisher, OutgoingMessage } from './message-publisher';

/** Where to publish: the project, and an explicit endpoint only where PUBSUB_EMULATOR_HOST is not enough. */
export interface GooglePubSubOptions {
  readonly projectId: string;
  readonly apiEndpoint?: string;
  /**
   * How long one publish may retry. The SDK's default is 60 s, longer than Stripe waits for a webhook;
   * the outbox makes giving up early safe.
   */
  readonly publishTimeoutMs?: number;
}

const DEFAULT_PUBLISH_TIMEOUT_MS = 5000;

/**
 * The {@link MessagePublisher} on `@google-cloud/pubsub`. The SDK is imported on first publish: it costs
 * about 215 ms of cold start, which only the functions that publish should pay.
 */
export class GooglePubSubPublisher implements MessagePublisher {
  private client: Promise<PubSub> | undefined;
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly options: GooglePubSubOptions) {}

  async publish(message: OutgoingMessage): Promise<void> {
    const topic = await this.topic(message.topic);
    try {
      await topic.publishMessage({ data: Buffer.from(message.data), orderingKey: message.orderingKey });
    } catch (error) {
      // After a failure the SDK pauses the ordering key; the outbox retries, so let the key publish again.
      topic.resumePublishing(message.orderingKey);
      throw error;
    }
  }

  private async topic(name: string): Promise<Topic> {
    this.client ??= import('@google-cloud/pubsub').then(
      ({ PubSub }) =>
        new PubSub({
          projectId: this.options.projectId,
          ...(this.options.apiEndpoint === undefined ? {} : { apiEndpoint: this.options.apiEndpoint }),
        }),
    );
    const client = await this.client;
    let topic = this.topics.get(name);
    if (topic === undefined) {
      topic = client.topic(name, {
        messageOrdering: true,
        gaxOpts: { timeout: this.options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS },
      });
      this.topics.set(name, topic);
    }
    return topic;
  }
}
