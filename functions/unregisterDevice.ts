import { defineHttpFunction } from '../shared/http/define-http-function';
import { unregisterDeviceBodySchema } from '../shared/notifications/notification-schemas';

/** `POST /unregisterDevice`: the caller's device stops receiving pushes (e.g. on sign-out). */
export const unregisterDevice = defineHttpFunction({
  name: 'unregisterDevice',
  method: 'POST',
  access: 'user',
  body: unregisterDeviceBodySchema,
  docs: {
    tag: 'Notifications',
    summary: 'Unregister a device from push notifications',
    description:
      "A token the caller does not own (never registered, or now another user's) changes nothing and also " +
      'answers 204, so the answer reveals nothing about other users.',
    response: { status: 204, description: 'The device is no longer registered to the caller.' },
  },
  handle: async ({ caller, body }) => {
    const { deviceService } = await import('../shared/notifications/notification-services');
    await deviceService().unregister(caller.uid, body.fcmToken);
    return { status: 204 };
  },
});
