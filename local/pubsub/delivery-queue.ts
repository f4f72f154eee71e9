import { randomBytes } from 'node:crypto';
import type { DeliveryFaults } from './delivery-faults';
import type { PubSubError } from './errors';
import { Fifo } from './fifo';
import type { StoredMessage } from './messages';

/** One message in one subscription, from publish until it is acknowledged or dead-lettered. */
export interface Delivery {
  readonly message: StoredMessage;
  /** Deliveries so far: 1 + nacks + expired ack deadlines once it has been delivered. */
  attempts: number;
  retryTimer?: NodeJS.Timeout;
}

/** A delivered, not yet settled message; its ack id is valid only while the lease lasts. */
export interface Lease {
  readonly ackId: string;
  readonly delivery: Delivery;
  readonly consumer: Consumer;
  /** The delivery attempt this lease is (1 for the first delivery). */
  readonly attempt: number;
  expiry?: NodeJS.Timeout;
}

/** Something messages are delivered to: a Pull call, a StreamingPull stream or the push worker. */
export interface Consumer {
  /** Seconds until a lease handed to it expires; undefined when the consumer settles every lease itself. */
  readonly ackDeadlineSeconds: number | undefined;
  /** Whether it takes this message now (flow control). */
  wants(message: StoredMessage): boolean;
  /** Hands over one leased message. */
  deliver(lease: Lease): void;
  /** Ends a round of deliver() calls, so that one round becomes one response. */
  flush(): void;
  /** A lease it held ended (acknowledged, nacked or expired), freeing flow-control room. */
  released(lease: Lease): void;
  /** The subscription is gone or the emulator stops. */
  close(error: PubSubError): void;
}

/** What the queue asks of its subscription when a delivery fails, and what it tells it when one succeeds. */
export interface FailurePolicy {
  /** A message was acknowledged (retained for Seek if the subscription keeps acknowledged messages). */
  acknowledged(message: StoredMessage): void;
  /** Dead-lettering threshold, if the subscription has a dead-letter policy. */
  maxDeliveryAttempts(): number | undefined;
  /** Wait before the next delivery after `attempts` deliveries failed. */
  redeliveryDelayMs(attempts: number): number;
  /** Forwards a message that reached maxDeliveryAttempts; the queue forgets it afterwards. */
  deadLetter(delivery: Delivery, reason: string | undefined): void;
}

/**
 * The backlog of one subscription: at-least-once delivery with leases that expire after the ack deadline,
 * nacks that redeliver after the failure policy's backoff, dead-lettering, and for ordered subscriptions at
 * most one outstanding message per ordering key, so a key's next message waits for its predecessor's ack.
 * Injected delivery faults (delivery-faults.ts) may hold a delivery back or deliver an acknowledged one again.
 */
export class DeliveryQueue {
  private ready = new Fifo<Delivery>();
  /** Ordered subscriptions only: each key's unsettled messages; only the head is ever ready or leased. */
  private readonly keyQueues = new Map<string, Fifo<Delivery>>();
  private readonly leases = new Map<string, Lease>();
  private readonly waiting = new Set<Delivery>();
  private consumers: Consumer[] = [];
  private rotation = 0;
  private dispatchScheduled = false;
  private closed = false;
  private readonly ackIdPrefix = randomBytes(6).toString('hex');
  private ackIdCounter = 0;

  constructor(
    private readonly ordered: boolean,
    private readonly policy: FailurePolicy,
    private readonly faults?: DeliveryFaults,
  ) {}

  /** Adds a newly published message to the backlog. */
  enqueue(message: StoredMessage): void {
    if (this.closed) return;
    const delivery: Delivery = { message, attempts: 0 };
    const keyQueue = this.keyQueueFor(message.orderingKey);
    if (keyQueue) {
      keyQueue.push(delivery);
      if (keyQueue.length > 1) return;
    }
    this.makeReady(delivery);
  }

  /** Registers a consumer and serves it at once, so a Pull sees what is already waiting. */
  addConsumer(consumer: Consumer): void {
    if (this.closed) return;
    this.consumers.push(consumer);
    this.dispatch();
  }

  removeConsumer(consumer: Consumer): void {
    this.consumers = this.consumers.filter((candidate) => candidate !== consumer);
  }

  /** Settles a leased message; unknown or expired ack ids are ignored, as Pub/Sub does. */
  acknowledge(ackId: string): void {
    const lease = this.leases.get(ackId);
    if (!lease) return;
    this.endLease(lease);
    // An injected duplicate: the message stays unsettled (its ordering key waits) and goes out once more.
    if (this.faults?.duplicate(lease.delivery.message) === true) {
      this.makeReady(lease.delivery);
      return;
    }
    this.settle(lease.delivery);
    this.policy.acknowledged(lease.delivery.message);
  }

  /** Extends or shortens a lease; 0 is a nack that makes the message available again. */
  modifyAckDeadline(ackId: string, seconds: number): void {
    const lease = this.leases.get(ackId);
    if (!lease) return;
    if (seconds === 0) {
      this.fail(lease, undefined);
      return;
    }
    clearTimeout(lease.expiry);
    lease.expiry = this.expiryTimer(lease, seconds);
  }

  /** A failed delivery with a reason, as push delivery reports it. */
  nack(ackId: string, reason: string): void {
    const lease = this.leases.get(ackId);
    if (lease) this.fail(lease, reason);
  }

  /** Every message not yet acknowledged or dead-lettered: ready, leased, waiting for a retry or its key. */
  unsettledMessages(): StoredMessage[] {
    const deliveries = new Set<Delivery>([
      ...this.ready.values(),
      ...this.waiting,
      ...[...this.leases.values()].map((lease) => lease.delivery),
      ...[...this.keyQueues.values()].flatMap((keyQueue) => keyQueue.values()),
    ]);
    return [...deliveries].map((delivery) => delivery.message);
  }

  /**
   * Seek: the backlog becomes `messages` (in publish order), delivered afresh; outstanding leases end, so
   * their ack ids no longer settle anything.
   */
  replaceBacklog(messages: readonly StoredMessage[]): void {
    if (this.closed) return;
    for (const lease of [...this.leases.values()]) this.endLease(lease);
    for (const delivery of this.waiting) clearTimeout(delivery.retryTimer);
    this.waiting.clear();
    this.ready = new Fifo<Delivery>();
    this.keyQueues.clear();
    for (const message of messages) this.enqueue(message);
  }

  /** Drops the backlog and all timers and closes every consumer with `error`. */
  close(error: PubSubError): void {
    if (this.closed) return;
    this.closed = true;
    for (const lease of this.leases.values()) clearTimeout(lease.expiry);
    for (const delivery of this.waiting) clearTimeout(delivery.retryTimer);
    this.leases.clear();
    this.waiting.clear();
    const consumers = this.consumers;
    this.consumers = [];
    for (const consumer of consumers) consumer.close(error);
  }

  private keyQueueFor(orderingKey: string): Fifo<Delivery> | undefined {
    if (!this.ordered || orderingKey === '') return undefined;
    let keyQueue = this.keyQueues.get(orderingKey);
    if (!keyQueue) {
      keyQueue = new Fifo<Delivery>();
      this.keyQueues.set(orderingKey, keyQueue);
    }
    return keyQueue;
  }

  private makeReady(delivery: Delivery): void {
    const delayMs = this.faults?.delayMs(delivery.message) ?? 0;
    if (delayMs <= 0) {
      this.ready.push(delivery);
      this.scheduleDispatch();
      return;
    }
    this.holdBack(delivery, delayMs, () => {
      this.ready.push(delivery);
      this.scheduleDispatch();
    });
  }

  /** Keeps a delivery waiting (a Seek or close drops it) for `delayMs`, then runs `then`. */
  private holdBack(delivery: Delivery, delayMs: number, then: () => void): void {
    this.waiting.add(delivery);
    delivery.retryTimer = setTimeout(() => {
      this.waiting.delete(delivery);
      then();
    }, delayMs).unref();
  }

  /** The message is done with (acknowledged or dead-lettered): its ordering key may move on. */
  private settle(delivery: Delivery): void {
    const keyQueue = this.ordered ? this.keyQueues.get(delivery.message.orderingKey) : undefined;
    if (!keyQueue) return;
    keyQueue.shift();
    const next = keyQueue.peek();
    if (next) this.makeReady(next);
    else this.keyQueues.delete(delivery.message.orderingKey);
  }

  private fail(lease: Lease, reason: string | undefined): void {
    this.endLease(lease);
    const delivery = lease.delivery;
    const maxAttempts = this.policy.maxDeliveryAttempts();
    if (maxAttempts !== undefined && delivery.attempts >= maxAttempts) {
      this.settle(delivery);
      this.policy.deadLetter(delivery, reason);
      return;
    }
    const delayMs = this.policy.redeliveryDelayMs(delivery.attempts);
    if (delayMs <= 0) {
      this.makeReady(delivery);
      return;
    }
    this.holdBack(delivery, delayMs, () => this.makeReady(delivery));
  }

  private endLease(lease: Lease): void {
    clearTimeout(lease.expiry);
    this.leases.delete(lease.ackId);
    lease.consumer.released(lease);
    // The consumer may have flow-control room again.
    this.scheduleDispatch();
  }

  private expiryTimer(lease: Lease, seconds: number): NodeJS.Timeout {
    return setTimeout(() => this.fail(lease, undefined), seconds * 1000).unref();
  }

  private lease(delivery: Delivery, consumer: Consumer): Lease {
    delivery.attempts += 1;
    this.ackIdCounter += 1;
    const lease: Lease = {
      ackId: `${this.ackIdPrefix}-${this.ackIdCounter}`,
      delivery,
      consumer,
      attempt: delivery.attempts,
    };
    if (consumer.ackDeadlineSeconds !== undefined)
      lease.expiry = this.expiryTimer(lease, consumer.ackDeadlineSeconds);
    this.leases.set(lease.ackId, lease);
    return lease;
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled || this.closed) return;
    this.dispatchScheduled = true;
    // One dispatch per turn of the event loop batches a whole Publish request into few responses.
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  /** Hands ready messages to consumers with room, starting with a different consumer each time. */
  private dispatch(): void {
    if (this.closed || this.ready.length === 0 || this.consumers.length === 0) return;
    const start = this.rotation++ % this.consumers.length;
    const turn = [...this.consumers.slice(start), ...this.consumers.slice(0, start)];
    for (const consumer of turn) {
      let delivered = false;
      for (let next = this.ready.peek(); next && consumer.wants(next.message); next = this.ready.peek()) {
        this.ready.shift();
        consumer.deliver(this.lease(next, consumer));
        delivered = true;
      }
      if (delivered) consumer.flush();
    }
  }
}
