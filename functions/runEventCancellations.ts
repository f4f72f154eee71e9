import { defineHttpFunction } from '../shared/http/define-http-function';

/**
 * `POST /runEventCancellations` (internal: Cloud Scheduler only, every minute): settles the bookings of
 * cancelled events and sends their refunds to Stripe at the configured rate, for up to
 * `CANCELLATION_RUN_SECONDS`; the next run resumes where it stopped (docs/cancellation.md).
 */
export const runEventCancellations = defineHttpFunction({
  name: 'runEventCancellations',
  method: 'POST',
  access: 'none',
  visibility: 'internal',
  handle: async () => {
    const { cancellationWorker } = await import('../shared/cancellations/cancellation-services');
    return { status: 200, body: await cancellationWorker().run() };
  },
});
