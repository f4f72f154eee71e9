import * as z from 'zod';

const tickets = z.int().nonnegative();
const minorUnits = z.int().nonnegative().meta({ description: 'Integer minor units (cents) of `currency`.' });

/** One currency's revenue in the sales report; `RevenueReport` is derived from it. */
export const revenueSchema = z
  .strictObject({
    total: minorUnits.meta({
      description:
        'Revenue net of refunds, whole and partial: the sum of `byPrice[].amount`, and of `byDay[].amount`.',
    }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .meta({ description: 'ISO 4217 code in upper case.' }),
    byPrice: z.array(z.strictObject({ unitPrice: minorUnits, tickets, amount: minorUnits })).meta({
      description:
        'Tickets sold and not refunded, per unit price fixed when their hold was created (base, surge, or ' +
        'a price the event had before an update), by ascending price. `amount` is net of partial refunds ' +
        "of those tickets' bookings, so it may be less than `unitPrice × tickets`.",
    }),
    byDay: z
      .array(
        z.strictObject({
          date: z.iso.date().meta({ description: 'UTC date on which the payment was confirmed.' }),
          tickets,
          amount: minorUnits,
        }),
      )
      .meta({
        description:
          'Tickets sold and not refunded, per UTC day of their sale (a refund counts against the day of ' +
          'the sale it undoes), by ascending date.',
      }),
  })
  .meta({ id: 'SalesRevenue' });

/** The answer of `GET /eventSales`; `EventSalesResponse` is derived from it. */
export const eventSalesResponseSchema = z
  .strictObject({
    eventId: z.string(),
    held: tickets.meta({
      description: 'Tickets held by unpaid bookings; a lapsed hold counts until released.',
    }),
    sold: tickets.meta({ description: 'Tickets sold and not refunded.' }),
    refunded: tickets.meta({ description: 'Tickets refunded after their sale.' }),
    refundFailed: tickets.meta({
      description:
        'Tickets of bookings whose refund Stripe failed (`refund_failed`, e.g. a disputed charge): settle ' +
        'them in the Stripe dashboard. Their revenue stays counted.',
    }),
    checkedIn: tickets.meta({ description: 'Tickets checked in at the door (and not voided since).' }),
    revenue: revenueSchema.meta({ description: "Sales in the event's current currency." }),
    revenueInOtherCurrencies: z.array(revenueSchema).meta({
      description:
        "Sales made before the event's currency was changed, one entry per currency: amounts of different " +
        'currencies are never added. Usually empty.',
    }),
  })
  .meta({ id: 'EventSales', description: 'Ticket counts and revenue of one event.' });

/** One currency's revenue in the sales report. */
export type RevenueReport = z.infer<typeof revenueSchema>;

/** The body of a `GET /eventSales` answer. */
export type EventSalesResponse = z.infer<typeof eventSalesResponseSchema>;
