import { paymentConfirmedSchema } from '../shared/payments/payment-confirmed';
import { defineCloudEventFunction } from '../shared/pubsub/define-cloud-event-function';

/** Subscriber of `payment-confirmed`: issues a confirmed booking's tickets, once per booking. */
export const issueTickets = defineCloudEventFunction({
  name: 'issueTickets',
  message: paymentConfirmedSchema,
  handle: async (message) => {
    const { ticketIssuer } = await import('../shared/tickets/ticket-services');
    await ticketIssuer().issue(message);
  },
});
