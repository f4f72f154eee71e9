import { MAX_RELEASE_BATCH } from '../shared/bookings/hold-release-service';
import { defineHttpFunction } from '../shared/http/define-http-function';

/**
 * `POST /releaseExpiredHolds` (internal: only Cloud Scheduler's service account may invoke it in
 * production): expires one bounded batch of lapsed holds and returns their tickets to sale.
 */
export const releaseExpiredHolds = defineHttpFunction({
  name: 'releaseExpiredHolds',
  method: 'POST',
  access: 'none',
  visibility: 'internal',
  handle: async () => {
    const { holdReleaseService } = await import('../shared/bookings/booking-services');
    return { status: 200, body: await holdReleaseService().releaseLapsedHolds(MAX_RELEASE_BATCH) };
  },
});
