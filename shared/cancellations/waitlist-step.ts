import type { Firestore } from 'firebase-admin/firestore';
import type { UserNotificationOutbox } from '../notifications/user-notification';
import type { Clock } from '../time/clock';
import type { WaitlistService } from '../waitlist/waitlist-service';
import { eventCancelledNotice } from './booking-settlement';
import type { EventCancellationStep } from './cancellation-worker';

/** Notifications written per transaction: well inside Firestore's 500 writes per commit. */
const NOTICES_PER_COMMIT = 200;

/**
 * The waitlist step, after the bookings (an offered entry's booking is a `held` one, cancelled by then):
 * every user still waiting or offered gets the `event.cancelled` notification, then every active entry
 * becomes `cancelled`. Notifying first means a crash in between notifies again on the next run, which the
 * notification's id keyed by the event makes harmless; cancelling first could lose the notification, since
 * a repeat no longer finds the entries.
 */
export function cancelWaitlistStep(
  db: Firestore,
  waitlist: Pick<WaitlistService, 'audienceOf' | 'cancelAllForEvent'>,
  notifications: UserNotificationOutbox,
  clock: Clock,
): EventCancellationStep {
  return {
    name: 'cancel-waitlist',
    run: async (event) => {
      const users = await waitlist.audienceOf(event.id);
      for (let start = 0; start < users.length; start += NOTICES_PER_COMMIT) {
        const page = users.slice(start, start + NOTICES_PER_COMMIT);
        await db.runTransaction(async (tx) => {
          const now = clock.now();
          for (const userId of page) notifications.add(tx, eventCancelledNotice(event, userId, now), now);
        });
      }
      await waitlist.cancelAllForEvent(event.id);
      return 'done';
    },
  };
}
