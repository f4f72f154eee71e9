import { defineHttpFunction } from '../shared/http/define-http-function';

/**
 * `POST /offerWaitlistTickets` (internal: Cloud Scheduler only, every minute): offers the free tickets of
 * every event with a waitlist, and expires the waiting entries of events that have started. Returns are
 * offered at once after their commit; this sweep is what makes that durable.
 */
export const offerWaitlistTickets = defineHttpFunction({
  name: 'offerWaitlistTickets',
  method: 'POST',
  access: 'none',
  visibility: 'internal',
  handle: async () => {
    const { waitlistOffers } = await import('../shared/waitlist/waitlist-services');
    return { status: 200, body: await waitlistOffers().sweep() };
  },
});
