import * as z from 'zod';
import { userNotificationTypes } from './user-notification';

/** One notification of the caller's inbox, as `myNotifications` answers it. */
export const notificationSchema = z
  .strictObject({
    notificationId: z.string(),
    type: z.enum(userNotificationTypes),
    eventId: z.string(),
    bookingId: z.string().optional(),
    createdAt: z.iso.datetime(),
    data: z.record(z.string(), z.unknown()).register(z.globalRegistry, {
      description: 'Details of the change; each type documents its fields (docs/notifications.md).',
    }),
  })
  .register(z.globalRegistry, { id: 'Notification' });

/** Answer of `myNotifications`. */
export const notificationPageSchema = z.strictObject({
  notifications: z.array(notificationSchema),
  nextCursor: z.string().nullable().register(z.globalRegistry, {
    description: 'Pass it as `cursor` for the next page; null on the last page.',
  }),
});

export type NotificationResponse = z.infer<typeof notificationSchema>;
export type NotificationPage = z.infer<typeof notificationPageSchema>;
