import { getConfig } from '../config/config';
import { GooglePubSubPublisher } from './google-pubsub-publisher';
import type { MessagePublisher } from './message-publisher';

let publisher: MessagePublisher | undefined;

/** The process-wide Pub/Sub publisher; the SDK finds the emulator through PUBSUB_EMULATOR_HOST itself. */
export function messagePublisher(): MessagePublisher {
  publisher ??= new GooglePubSubPublisher({ projectId: getConfig().projectId });
  return publisher;
}
