import type { Lease } from './delivery-queue';
import { toWireMessage } from './messages';
import type { SubscriptionConfig } from './subscription-config';
import type { WireReceivedMessage } from './wire';

/** A leased message as Pull and StreamingPull return it; delivery_attempt only with a dead-letter policy. */
export function toReceivedMessage(config: SubscriptionConfig, lease: Lease): WireReceivedMessage {
  const received: WireReceivedMessage = {
    ackId: lease.ackId,
    message: toWireMessage(lease.delivery.message),
  };
  if (config.deadLetter) received.deliveryAttempt = lease.attempt;
  return received;
}
