import { systemClock } from '../time/clock';
import { firestore } from '../firebase/firestore';
import { outboxRelay } from '../pubsub/outbox-services';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { BookingAudience } from './event-audience';
import { EventUpdateFanout } from './event-update-fanout';
import { UserNotificationOutbox } from './user-notification';
import { WaitlistAudience } from '../waitlist/waitlist-audience';
import { WaitlistRepository } from '../waitlist/waitlist-repository';

let fanout: EventUpdateFanout | undefined;

/**
 * The `event.updated` fan-out wired to Firestore and Pub/Sub, built on first use. Its audience is the
 * owners of the event's bookings and of its waiting and offered waitlist entries.
 */
export function eventUpdateFanout(): EventUpdateFanout {
  fanout ??= new EventUpdateFanout(
    firestore(),
    [new BookingAudience(firestore()), new WaitlistAudience(new WaitlistRepository(firestore()))],
    new UserNotificationOutbox(new OutboxRepository(firestore())),
    outboxRelay(),
    systemClock,
  );
  return fanout;
}
