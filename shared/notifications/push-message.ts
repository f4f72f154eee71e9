import type { PushMessage } from './push-sender';
import type { UserNotification, UserNotificationType } from './user-notification';

/** What the push of each type says; the app shows the details from the inbox entry. */
const TEXTS: Readonly<Record<UserNotificationType, { title: string; body: string }>> = {
  'booking.confirmed': { title: 'Booking confirmed', body: 'Your payment went through.' },
  'tickets.issued': { title: 'Your tickets are ready', body: 'Open the app to see them.' },
  'booking.expired': { title: 'Your hold expired', body: 'The booking was not paid in time.' },
  'booking.refunded': { title: 'Booking refunded', body: 'Your money is on its way back.' },
  'waitlist.offered': { title: 'Tickets for you', body: 'Tickets from the waitlist are held for you.' },
  'event.updated': { title: 'Event changed', body: 'The time or venue of your event changed.' },
  'event.cancelled': { title: 'Event cancelled', body: 'Your event was cancelled.' },
};

/** The push that announces `notification`: its text, and the ids the app needs to open the right screen. */
export function pushMessageFor(notification: UserNotification): PushMessage {
  return {
    ...TEXTS[notification.type],
    data: {
      notificationId: notification.notificationId,
      type: notification.type,
      eventId: notification.eventId,
      ...(notification.bookingId === undefined ? {} : { bookingId: notification.bookingId }),
    },
  };
}
