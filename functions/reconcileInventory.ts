import { MAX_RECONCILED_EVENTS } from '../shared/bookings/inventory-reconciliation';
import { defineHttpFunction } from '../shared/http/define-http-function';

/**
 * `POST /reconcileInventory` (internal: only Cloud Scheduler's service account may invoke it in
 * production): compares each upcoming event's shard counters with its live bookings and logs an ERROR line
 * for any difference (docs/inventory.md, Reconciliation).
 */
export const reconcileInventory = defineHttpFunction({
  name: 'reconcileInventory',
  method: 'POST',
  access: 'none',
  visibility: 'internal',
  handle: async () => {
    const { inventoryReconciliation } = await import('../shared/bookings/reconciliation-services');
    return {
      status: 200,
      body: await inventoryReconciliation().reconcileUpcomingEvents(MAX_RECONCILED_EVENTS),
    };
  },
});
