import { defineHttpFunction } from '../shared/http/define-http-function';

/**
 * `POST /fanOutNotifications` (internal: Cloud Scheduler only): works the pending `event.updated`
 * announcements page by page, resuming where the last run stopped.
 */
export const fanOutNotifications = defineHttpFunction({
  name: 'fanOutNotifications',
  method: 'POST',
  access: 'none',
  visibility: 'internal',
  handle: async () => {
    const { eventUpdateFanout } = await import('../shared/notifications/fanout-services');
    return { status: 200, body: await eventUpdateFanout().run() };
  },
});
