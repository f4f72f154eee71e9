import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Broker, SubscriptionRecord } from './broker';
import type { Consumer, Lease } from './delivery-queue';
import { invalidArgument, type PubSubError } from './errors';
import { toStatus } from './grpc';
import type { StoredMessage } from './messages';
import { toReceivedMessage } from './received-message';
import { MAX_ACK_DEADLINE_SECONDS, MIN_ACK_DEADLINE_SECONDS } from './subscription-config';
import type { StreamingPullRequest, StreamingPullResponse, WireReceivedMessage } from './wire';

type StreamingPullCall = ServerDuplexStream<StreamingPullRequest, StreamingPullResponse>;

/** Responses stay well below the 10 MB a Pub/Sub response may carry; the rest follows in the next one. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

function streamAckDeadline(seconds: number): number {
  if (seconds < MIN_ACK_DEADLINE_SECONDS || seconds > MAX_ACK_DEADLINE_SECONDS) {
    throw invalidArgument(
      `stream_ack_deadline_seconds must be between ${MIN_ACK_DEADLINE_SECONDS} and ${MAX_ACK_DEADLINE_SECONDS}, got ${seconds}.`,
    );
  }
  return seconds;
}

function limit(value: string | undefined): number {
  return Math.max(0, Number(value ?? 0));
}

/** Checks a request's acks and deadline changes as a whole, so a malformed one changes nothing. */
function parseLeaseChanges(request: StreamingPullRequest): {
  ackIds: string[];
  deadlines: [string, number][];
} {
  const ids = request.modifyDeadlineAckIds ?? [];
  const seconds = request.modifyDeadlineSeconds ?? [];
  if (ids.length !== seconds.length) {
    throw invalidArgument('modify_deadline_seconds and modify_deadline_ack_ids must have the same length.');
  }
  const deadlines = ids.map((id, index): [string, number] => {
    const value = seconds[index] ?? 0;
    if (value < 0 || value > MAX_ACK_DEADLINE_SECONDS) {
      throw invalidArgument(
        `Ack deadlines must be between 0 and ${MAX_ACK_DEADLINE_SECONDS} seconds, got ${value}.`,
      );
    }
    return [id, value];
  });
  return { ackIds: request.ackIds ?? [], deadlines };
}

/**
 * One StreamingPull stream: receives messages while it has flow-control room (max_outstanding_messages and
 * max_outstanding_bytes count what it holds unacknowledged), and applies the acks and deadline changes the
 * client sends on the stream.
 */
class StreamSession implements Consumer {
  private outstandingMessages = 0;
  private outstandingBytes = 0;
  private batch: WireReceivedMessage[] = [];
  private batchBytes = 0;
  private ended = false;

  constructor(
    private readonly record: SubscriptionRecord,
    private readonly call: StreamingPullCall,
    private deadlineSeconds: number,
    private readonly maxMessages: number,
    private readonly maxBytes: number,
  ) {}

  get ackDeadlineSeconds(): number {
    return this.deadlineSeconds;
  }

  wants(_message: StoredMessage): boolean {
    if (this.ended) return false;
    const messagesOk = this.maxMessages === 0 || this.outstandingMessages < this.maxMessages;
    const bytesOk = this.maxBytes === 0 || this.outstandingBytes < this.maxBytes;
    return messagesOk && bytesOk;
  }

  deliver(lease: Lease): void {
    this.outstandingMessages += 1;
    this.outstandingBytes += lease.delivery.message.size;
    this.batch.push(toReceivedMessage(this.record.config, lease));
    this.batchBytes += lease.delivery.message.size;
    if (this.batchBytes >= MAX_RESPONSE_BYTES) this.flush();
  }

  flush(): void {
    if (this.batch.length === 0 || this.ended) return;
    const config = this.record.config;
    this.call.write({
      receivedMessages: this.batch,
      subscriptionProperties: {
        exactlyOnceDeliveryEnabled: false,
        messageOrderingEnabled: config.enableMessageOrdering,
      },
    });
    this.batch = [];
    this.batchBytes = 0;
  }

  released(lease: Lease): void {
    this.outstandingMessages -= 1;
    this.outstandingBytes -= lease.delivery.message.size;
  }

  /** The subscription is gone or the emulator stops. */
  close(error: PubSubError): void {
    this.fail(error);
  }

  /** Applies a follow-up request's acks, deadline changes and new stream deadline. */
  apply(request: StreamingPullRequest, initial: boolean): void {
    if (!initial && (limit(request.maxOutstandingMessages) > 0 || limit(request.maxOutstandingBytes) > 0)) {
      throw invalidArgument('Flow control settings can only be set on the initial StreamingPullRequest.');
    }
    const changes = parseLeaseChanges(request);
    const deadline = request.streamAckDeadlineSeconds
      ? streamAckDeadline(request.streamAckDeadlineSeconds)
      : undefined;
    for (const ackId of changes.ackIds) this.record.queue.acknowledge(ackId);
    for (const [ackId, seconds] of changes.deadlines) this.record.queue.modifyAckDeadline(ackId, seconds);
    if (deadline !== undefined) this.deadlineSeconds = deadline;
  }

  /** The client half-closed: the server closes its side with OK. */
  finish(): void {
    if (this.detach()) this.call.end();
  }

  fail(error: unknown): void {
    if (this.detach()) this.call.emit('error', toStatus(error));
  }

  /** Stops receiving; true if the stream was still open. */
  detach(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.record.queue.removeConsumer(this);
    return true;
  }
}

/** The first request names the subscription and the stream's ack deadline, and may set flow control. */
function openSession(broker: Broker, request: StreamingPullRequest, call: StreamingPullCall): StreamSession {
  if (!request.subscription)
    throw invalidArgument('The first StreamingPullRequest must name a subscription.');
  const record = broker.attachedSubscription(request.subscription);
  const deadline = streamAckDeadline(request.streamAckDeadlineSeconds ?? 0);
  const session = new StreamSession(
    record,
    call,
    deadline,
    limit(request.maxOutstandingMessages),
    limit(request.maxOutstandingBytes),
  );
  session.apply(request, true);
  record.queue.addConsumer(session);
  return session;
}

/** Serves one StreamingPull call until the client closes it, the subscription goes or a request is invalid. */
export function streamingPull(broker: Broker, call: StreamingPullCall): void {
  let session: StreamSession | undefined;
  let failed = false;
  call.on('data', (request: StreamingPullRequest) => {
    if (failed) return;
    try {
      if (session) session.apply(request, false);
      else session = openSession(broker, request, call);
    } catch (error) {
      failed = true;
      if (session) session.fail(error);
      else call.emit('error', toStatus(error));
    }
  });
  call.on('end', () => {
    if (session) session.finish();
    else if (!failed) call.end();
  });
  call.on('cancelled', () => session?.detach());
}
