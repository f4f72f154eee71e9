import type { ServerUnaryCall } from '@grpc/grpc-js';
import type { SubscriptionRecord } from './broker';
import type { Consumer, Lease } from './delivery-queue';
import { invalidArgument, type PubSubError } from './errors';
import { toReceivedMessage } from './received-message';
import type { SubscriptionConfig } from './subscription-config';
import type { PullRequest, WireReceivedMessage } from './wire';

/**
 * Longest a Pull waits for a first message. Pub/Sub also holds a Pull open only for a bounded time and then
 * answers with no messages; clients simply pull again.
 */
const MAX_PULL_WAIT_MS = 10_000;
/** Answer this long before the caller's deadline, so an empty answer arrives rather than DEADLINE_EXCEEDED. */
const DEADLINE_MARGIN_MS = 100;

type Outcome = WireReceivedMessage[] | PubSubError;

/** One Pull call: takes up to max_messages in a single round, then answers. */
class PullConsumer implements Consumer {
  readonly ackDeadlineSeconds: number;
  private readonly received: WireReceivedMessage[] = [];
  private done = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: SubscriptionConfig,
    private readonly maxMessages: number,
    private readonly settle: (outcome: Outcome) => void,
  ) {
    this.ackDeadlineSeconds = config.ackDeadlineSeconds;
  }

  wants(): boolean {
    return !this.done && this.received.length < this.maxMessages;
  }

  deliver(lease: Lease): void {
    this.received.push(toReceivedMessage(this.config, lease));
  }

  flush(): void {
    this.finish(this.received);
  }

  released(): void {
    // A Pull is over once it answered; its leases live on in the queue.
  }

  close(error: PubSubError): void {
    this.finish(error);
  }

  get finished(): boolean {
    return this.done;
  }

  /** Answers with no messages unless something arrives within `ms`. */
  waitAtMost(ms: number): void {
    this.timer = setTimeout(() => this.finish([]), ms);
  }

  /** Answers once: with what it received, or with an error. */
  finish(outcome: Outcome): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.settle(outcome);
  }
}

function waitMs(call: ServerUnaryCall<PullRequest, unknown>): number {
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  return Math.max(0, Math.min(MAX_PULL_WAIT_MS, deadlineMs - Date.now() - DEADLINE_MARGIN_MS));
}

/**
 * Serves a Pull: answers at once with the messages available, or waits for the first ones unless
 * return_immediately is set; an empty answer after the wait is normal.
 */
export function pull(
  record: SubscriptionRecord,
  request: PullRequest,
  call: ServerUnaryCall<PullRequest, unknown>,
): Promise<{ receivedMessages: WireReceivedMessage[] }> {
  const maxMessages = request.maxMessages ?? 0;
  if (maxMessages <= 0) throw invalidArgument('max_messages must be a positive integer.');
  return new Promise((resolve, reject) => {
    const consumer = new PullConsumer(record.config, maxMessages, (outcome) => {
      record.queue.removeConsumer(consumer);
      if (Array.isArray(outcome)) resolve({ receivedMessages: outcome });
      else reject(outcome);
    });
    record.queue.addConsumer(consumer);
    if (consumer.finished) return;
    if (request.returnImmediately) {
      consumer.finish([]);
      return;
    }
    consumer.waitAtMost(waitMs(call));
    call.once('cancelled', () => consumer.finish([]));
  });
}
