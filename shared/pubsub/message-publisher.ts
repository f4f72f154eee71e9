/** One message for a Pub/Sub topic. */
export interface OutgoingMessage {
  readonly topic: string;
  /** JSON text of the payload. */
  readonly data: string;
  /** Messages with the same key reach ordered subscriptions in publish order. */
  readonly orderingKey: string;
}

/** Publishes messages to Pub/Sub; see `GooglePubSubPublisher`. */
export interface MessagePublisher {
  /** Resolves once Pub/Sub has accepted the message; rejects when it has not. */
  publish(message: OutgoingMessage): Promise<void>;
}
