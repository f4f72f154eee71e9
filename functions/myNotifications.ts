import { defineHttpFunction } from '../shared/http/define-http-function';
import { notificationPageSchema } from '../shared/notifications/notification-response-schemas';
import { myNotificationsQuerySchema } from '../shared/notifications/notification-schemas';

/** `GET /myNotifications?limit=&cursor=`: the caller's notifications of the last 90 days, newest first. */
export const myNotifications = defineHttpFunction({
  name: 'myNotifications',
  method: 'GET',
  access: 'user',
  query: myNotificationsQuerySchema,
  docs: {
    tag: 'Notifications',
    summary: "The caller's notifications, newest first",
    description:
      'Kept 90 days; an app that missed a push catches up here. Each notification appears once however ' +
      'often its message was delivered.',
    response: { status: 200, description: 'One page of notifications.', schema: notificationPageSchema },
  },
  handle: async ({ caller, query }) => {
    const { deviceService } = await import('../shared/notifications/notification-services');
    return { status: 200, body: await deviceService().myNotifications(caller.uid, query) };
  },
});
