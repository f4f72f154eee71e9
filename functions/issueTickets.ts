import { paymentConfirmedSchema } from '../shared/payments/payment-confirmed';
import { defineCloudEventFunction } from '../shared/pubsub/define-cloud-event-function';
import { ticketIssuer } from '../shared/tickets/ticket-services';

/** Subscriber of `payment-confirmed`: issues a confirmed booking's tickets, once per booking. */
export const issueTickets = defineCloudEventFunction({
  name: 'issueTickets',
  message: paymentConfirmedSchema,
  handle: (message) => ticketIssuer().issue(message),
});
