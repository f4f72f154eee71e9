import type { EventSalesResponse } from '../../shared/sales/sales-response-schemas';
import { utcDate } from '../../shared/sales/sales-report';
import { createEventAs, type EventJson } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type CompanyAdmin, type RoleUser } from '../support/roles';
import {
  bookingWhen,
  bookOrFail,
  payAndConfirm,
  problemType,
  type BookingJson,
  type ProblemJson,
} from './booking-fixtures';

function eventSales(user: RoleUser | undefined, query: Record<string, string>) {
  return callFunction<EventSalesResponse & ProblemJson>('eventSales', {
    query,
    ...(user === undefined ? {} : { token: user.idToken }),
  });
}

async function salesOrFail(admin: CompanyAdmin, eventId: string): Promise<EventSalesResponse> {
  const response = await eventSales(admin, { id: eventId });
  if (response.status !== 200)
    throw new Error(`eventSales answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function auditActions(eventId: string): Promise<string[]> {
  const entries = await adminFirestore().collection('auditLog').where('target.eventId', '==', eventId).get();
  return entries.docs.map((doc) => doc.get('action') as string).sort();
}

async function updatePrices(admin: CompanyAdmin, event: EventJson, surgePrice: number): Promise<void> {
  const response = await callFunction('updateEvent', {
    token: admin.idToken,
    body: { id: event.id, version: event.version, surgePrice },
  });
  if (response.status !== 200) throw new Error(`updateEvent answered ${response.status}`);
}

describe('GET /eventSales', () => {
  it('reports holds, sales at the prices fixed at hold time, and refunds, from the payment journey', async () => {
    const startedOn = utcDate(new Date());
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, {
      totalTickets: 10,
      surgeThreshold: 2,
      basePrice: 2500,
      surgePrice: 4000,
    });
    expect(await salesOrFail(admin, event.id)).toEqual({
      eventId: event.id,
      held: 0,
      sold: 0,
      refunded: 0,
      checkedIn: 0,
      revenue: { total: 0, currency: 'EUR', byPrice: [], byDay: [] },
      revenueInOtherCurrencies: [],
    });

    // Two base tickets and one surge ticket, then a surge ticket after the surge price went up.
    const first = await createRegisteredUser();
    const crossing = await bookOrFail(first, event.id, 3);
    expect(crossing.unitPrices).toEqual([2500, 2500, 4000]);
    await payAndConfirm(first, crossing.id);
    await updatePrices(admin, event, 5000);
    const second = await createRegisteredUser();
    const later = await bookOrFail(second, event.id, 1);
    await payAndConfirm(second, later.id);
    const holder = await createRegisteredUser();
    await bookOrFail(holder, event.id, 2);

    const sold = await salesOrFail(admin, event.id);
    const today = utcDate(new Date());
    expect(sold).toMatchObject({ eventId: event.id, held: 2, sold: 4, refunded: 0 });
    expect(sold.revenue).toMatchObject({
      total: 2 * 2500 + 4000 + 5000,
      currency: 'EUR',
      byPrice: [
        { unitPrice: 2500, tickets: 2, amount: 5000 },
        { unitPrice: 4000, tickets: 1, amount: 4000 },
        { unitPrice: 5000, tickets: 1, amount: 5000 },
      ],
    });
    expect(sold.revenue.byDay.reduce((sum, day) => sum + day.amount, 0)).toBe(14000);
    for (const day of sold.revenue.byDay) expect([startedOn, today]).toContain(day.date);

    const refund = await callFunction<{ booking: BookingJson }>('cancelBooking', {
      token: first.idToken,
      body: { bookingId: crossing.id },
    });
    expect(refund.status).toBe(200);
    await bookingWhen(first, crossing.id, (booking) => booking.status === 'refunded');

    const afterRefund = await salesOrFail(admin, event.id);
    expect(afterRefund).toMatchObject({ held: 2, sold: 1, refunded: 3 });
    expect(afterRefund.revenue.total).toBe(5000);
    expect(afterRefund.revenue.byPrice).toEqual([{ unitPrice: 5000, tickets: 1, amount: 5000 }]);
    expect(afterRefund.revenue.byDay.map((day) => [day.tickets, day.amount])).toEqual([[1, 5000]]);

    // Every admin action and payment state change of the journey left exactly one audit entry.
    expect(await auditActions(event.id)).toEqual(
      [
        'event.created',
        'event.updated',
        ...['payment.created', 'payment.succeeded', 'payment.refund_pending', 'payment.refunded'],
        ...['payment.created', 'payment.succeeded'],
      ].sort(),
    );
    // Two payments and a refund, each completed by a webhook: slow on a busy machine.
  }, 90_000);

  it('refuses other companies with 404, normal users with 403, callers without a token with 401', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const otherAdmin = await createCompanyAdmin();
    const other = await eventSales(otherAdmin, { id: event.id });
    expect(other.status).toBe(404);
    expect(other.body.type).toBe(problemType('not-found'));
    expect((await eventSales(await createRegisteredUser(), { id: event.id })).status).toBe(403);
    expect((await eventSales(undefined, { id: event.id })).status).toBe(401);
  });

  it('answers 404 for an unknown event and 400 for a missing, malformed or unknown parameter', async () => {
    const admin = await createCompanyAdmin();
    const unknown = await eventSales(admin, { id: 'noSuchEvent' });
    expect(unknown.status).toBe(404);
    const queries: Record<string, string>[] = [{}, { id: 'a/b' }, { id: 'abc', extra: '1' }];
    for (const query of queries) {
      const response = await eventSales(admin, query);
      expect(response.status).toBe(400);
      expect(response.body.type).toBe(problemType('validation'));
    }
  });
});
