import { defineHttpFunction } from '../shared/http/define-http-function';

/**
 * `POST /reconcileTickets` (internal: Cloud Scheduler only): issues the tickets of paid bookings that
 * waited too long for them, e.g. because their `payment-confirmed` message was dead-lettered.
 */
export const reconcileTickets = defineHttpFunction({
  name: 'reconcileTickets',
  method: 'POST',
  access: 'none',
  visibility: 'internal',
  handle: async () => {
    const { ticketReconciler } = await import('../shared/tickets/ticket-services');
    return { status: 200, body: await ticketReconciler().reconcile() };
  },
});
