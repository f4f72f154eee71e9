import { systemClock } from '../bookings/clock';
import { firestore } from '../firebase/firestore';
import { outboxRelay } from '../pubsub/outbox-services';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { BookingAudience } from './event-audience';
import { EventUpdateFanout } from './event-update-fanout';
import { UserNotificationOutbox } from './user-notification';

let fanout: EventUpdateFanout | undefined;

/**
 * The `event.updated` fan-out wired to Firestore and Pub/Sub, built on first use. Its audience is the
 * event's bookings; the waitlist adds its waiting and offered entries as another `EventAudienceSource`.
 */
export function eventUpdateFanout(): EventUpdateFanout {
  fanout ??= new EventUpdateFanout(
    firestore(),
    [new BookingAudience(firestore())],
    new UserNotificationOutbox(new OutboxRepository(firestore())),
    outboxRelay(),
    systemClock,
  );
  return fanout;
}
