import { userNotificationSchema } from '../shared/notifications/user-notification';
import { defineCloudEventFunction } from '../shared/pubsub/define-cloud-event-function';

/**
 * Subscriber of `user-notifications`: stores each notification in the user's inbox once and pushes it
 * once to each of the user's devices through FCM.
 */
export const deliverUserNotification = defineCloudEventFunction({
  name: 'deliverUserNotification',
  message: userNotificationSchema,
  handle: async (message) => {
    const { notificationDelivery } = await import('../shared/notifications/notification-services');
    await notificationDelivery().deliver(message);
  },
});
