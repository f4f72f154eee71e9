import { defineHttpFunction } from '../shared/http/define-http-function';
import { registerDeviceBodySchema } from '../shared/notifications/notification-schemas';

/** `POST /registerDevice`: the caller's device receives push notifications through FCM. */
export const registerDevice = defineHttpFunction({
  name: 'registerDevice',
  method: 'POST',
  access: 'user',
  body: registerDeviceBodySchema,
  docs: {
    tag: 'Notifications',
    summary: 'Register a device for push notifications',
    description:
      'At most 10 devices per user: registering an 11th drops the oldest registration. A token another user ' +
      'registered moves to the caller (a phone changed hands); registering a token again refreshes it.',
    response: { status: 204, description: 'The device is registered.' },
  },
  handle: async ({ caller, body }) => {
    const { deviceService } = await import('../shared/notifications/notification-services');
    await deviceService().register(caller.uid, body);
    return { status: 204 };
  },
});
