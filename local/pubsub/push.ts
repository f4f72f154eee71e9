import type { Consumer, DeliveryQueue, Lease } from './delivery-queue';
import type { PubSubError } from './errors';
import { publishTimeText } from './messages';
import type { SubscriptionConfig } from './subscription-config';

/** The JSON body of a push request (cloud.google.com/pubsub/docs/push#receive_push). */
export interface PushRequestBody {
  message: {
    /** Omitted for messages that carry only attributes, as Pub/Sub omits empty fields. */
    data?: string;
    attributes: Record<string, string>;
    messageId: string;
    message_id: string;
    publishTime: string;
    publish_time: string;
    orderingKey?: string;
  };
  subscription: string;
  /** Present only when the subscription has a dead-letter policy. */
  deliveryAttempt?: number;
}

/** The status codes Pub/Sub takes as an acknowledgement; anything else, or no answer in time, is a nack. */
const PUSH_SUCCESS_STATUSES: ReadonlySet<number> = new Set([102, 200, 201, 202, 204]);

/** How many push requests one subscription has in flight at most (Pub/Sub's push flow control, simplified). */
const MAX_CONCURRENT_PUSHES = 32;

/** The push request for one leased message. */
function pushRequestBody(config: SubscriptionConfig, lease: Lease): PushRequestBody {
  const { message } = lease.delivery;
  const publishTime = publishTimeText(message);
  const body: PushRequestBody = {
    message: {
      attributes: { ...message.attributes },
      messageId: message.id,
      message_id: message.id,
      publishTime,
      publish_time: publishTime,
    },
    subscription: config.name.name,
  };
  if (message.data.length > 0) body.message.data = message.data.toString('base64');
  if (message.orderingKey) body.message.orderingKey = message.orderingKey;
  if (config.deadLetter) body.deliveryAttempt = lease.attempt;
  return body;
}

function failureReason(error: unknown, timedOut: boolean, timeoutSeconds: number): string {
  if (timedOut) return `The push endpoint did not answer within ${timeoutSeconds} s.`;
  return `The push request failed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Delivers a push subscription's messages by POSTing them to its endpoint. The ack deadline is the request
 * timeout, so this consumer settles each lease itself: a success status acknowledges, anything else nacks
 * and the delivery queue redelivers after the subscription's backoff.
 */
export class PushConsumer implements Consumer {
  readonly ackDeadlineSeconds = undefined;
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly endpoint: string,
    private readonly config: SubscriptionConfig,
    private readonly queue: DeliveryQueue,
  ) {}

  wants(): boolean {
    return !this.closed && this.inFlight.size < MAX_CONCURRENT_PUSHES;
  }

  deliver(lease: Lease): void {
    const controller = new AbortController();
    this.inFlight.add(controller);
    void this.push(lease, controller).finally(() => this.inFlight.delete(controller));
  }

  flush(): void {
    // Every message is its own request, already on its way.
  }

  released(): void {
    // Room is counted by requests in flight, which push() removes itself.
  }

  close(_error: PubSubError): void {
    this.closed = true;
    for (const controller of this.inFlight) controller.abort();
  }

  private async push(lease: Lease, controller: AbortController): Promise<void> {
    const timeoutSeconds = this.config.ackDeadlineSeconds;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutSeconds * 1000).unref();
    let outcome: { ok: true } | { ok: false; reason: string };
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(pushRequestBody(this.config, lease)),
        signal: controller.signal,
      });
      // Reading the body to its end lets the connection be reused.
      await response.arrayBuffer();
      outcome = PUSH_SUCCESS_STATUSES.has(response.status)
        ? { ok: true }
        : { ok: false, reason: `The push endpoint answered HTTP ${response.status}.` };
    } catch (error) {
      outcome = { ok: false, reason: failureReason(error, timedOut, timeoutSeconds) };
    } finally {
      clearTimeout(timer);
    }
    if (this.closed) return;
    if (outcome.ok) this.queue.acknowledge(lease.ackId);
    else this.queue.nack(lease.ackId, outcome.reason);
  }
}
