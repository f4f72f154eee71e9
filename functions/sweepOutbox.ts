import { defineHttpFunction } from '../shared/http/define-http-function';

/**
 * `POST /sweepOutbox` (internal: Cloud Scheduler only): publishes outbox messages that were not published
 * right after their commit, e.g. because Pub/Sub was unavailable.
 */
export const sweepOutbox = defineHttpFunction({
  name: 'sweepOutbox',
  method: 'POST',
  access: 'none',
  visibility: 'internal',
  handle: async () => {
    const { outboxRelay } = await import('../shared/pubsub/outbox-services');
    return { status: 200, body: await outboxRelay().sweep() };
  },
});
