import { defineHttpFunction } from '../shared/http/define-http-function';
import { eventSalesResponseSchema } from '../shared/sales/sales-response-schemas';
import { eventSalesQuerySchema } from '../shared/sales/sales-schemas';

/** `GET /eventSales?id=`: an admin of the event's company reads its ticket counts and revenue. */
export const eventSales = defineHttpFunction({
  name: 'eventSales',
  method: 'GET',
  access: 'admin',
  query: eventSalesQuerySchema,
  docs: {
    tag: 'Reports',
    summary: "Sales report of one of the admin's events",
    description:
      'Counts are tickets, not bookings. Revenue is net of refunds, grouped by the unit price each ticket ' +
      'was sold at (fixed when its hold was created) and by the UTC day its payment was confirmed; a refund ' +
      "counts against its sale's day. Another company's event answers 404, like an unknown one.",
    response: { status: 200, description: 'The report.', schema: eventSalesResponseSchema },
    problems: ['not-found'],
  },
  handle: async ({ caller, query }) => {
    const { salesService } = await import('../shared/sales/sales-services');
    return { status: 200, body: await salesService().eventSales(caller, query.id) };
  },
});
