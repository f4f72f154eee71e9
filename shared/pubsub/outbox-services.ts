import { systemClock } from '../time/clock';
import { firestore } from '../firebase/firestore';
import { OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './outbox-repository';
import { messagePublisher } from './publisher-factory';

let relay: OutboxRelay | undefined;

/** The outbox relay wired to Firestore and Pub/Sub, built on first use. */
export function outboxRelay(): OutboxRelay {
  relay ??= new OutboxRelay(new OutboxRepository(firestore()), messagePublisher(), systemClock);
  return relay;
}
