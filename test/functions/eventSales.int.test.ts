import type { components } from '@event-manager/client';
import { utcDate } from '../../shared/sales/sales-report';
import { createEventAs, type EventJson } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { apiClient, expectData } from '../support/api-client';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type CompanyAdmin, type RoleUser } from '../support/roles';
import { sandboxControl, sandboxStripe } from '../support/stripe-sandbox';
import {
  bookingWhen,
  bookOrFail,
  availableTickets,
  payAndConfirm,
  problemType,
  stripeSandboxUrl,
  type ProblemJson,
} from './booking-fixtures';

type EventSales = components['schemas']['EventSales'];

function eventSales(user: RoleUser | undefined, id: string) {
  return apiClient(user?.idToken).GET('/eventSales', { params: { query: { id } } });
}

async function salesOrFail(admin: CompanyAdmin, eventId: string): Promise<EventSales> {
  return expectData(await eventSales(admin, eventId), 200);
}

async function auditActions(eventId: string): Promise<string[]> {
  const entries = await adminFirestore().collection('auditLog').where('target.eventId', '==', eventId).get();
  return entries.docs.map((doc) => doc.get('action') as string).sort();
}

async function updatePrices(admin: CompanyAdmin, event: EventJson, surgePrice: number): Promise<void> {
  const body = { id: event.id, version: event.version, surgePrice };
  expectData(await apiClient(admin.idToken).POST('/updateEvent', { body }), 200);
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
      refundFailed: 0,
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

    const refund = await apiClient(first.idToken).POST('/cancelBooking', {
      body: { bookingId: crossing.id },
    });
    expect(refund.response.status).toBe(200);
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

  it('takes partial refunds off the revenue exactly, in any order; only a whole refund ends the booking', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10, basePrice: 2500 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);
    await payAndConfirm(user, booking.id);
    const ticketed = await bookingWhen(user, booking.id, (b) => (b.tickets?.length ?? 0) === 2);
    const paidBy = (await adminFirestore().collection('bookings').doc(booking.id).get()).get(
      'paidByPaymentId',
    );
    const paymentIntent = (await adminFirestore().collection('payments').doc(String(paidBy)).get()).get(
      'stripePaymentIntentId',
    ) as string;
    const dashboard = sandboxStripe(stripeSandboxUrl());
    const sandbox = sandboxControl(stripeSandboxUrl());

    // Two partial refunds from the dashboard, their events delivered newest first.
    await sandbox.hold(paymentIntent);
    await dashboard.refunds.create({ payment_intent: paymentIntent, amount: 1000 });
    await dashboard.refunds.create({ payment_intent: paymentIntent, amount: 500 });
    const refunds = (await sandbox.held(paymentIntent)).filter((held) => held.type === 'charge.refunded');
    expect(refunds).toHaveLength(2);
    await sandbox.release(paymentIntent, refunds.map((refund) => refund.id).reverse());
    await sandbox.release(paymentIntent);

    const partly = await bookingWhen(user, booking.id, (b) => b.refundedAmount === 1500);
    expect(partly.status).toBe('confirmed');
    expect(partly.tickets).toEqual(ticketed.tickets);
    expect(await availableTickets(user, event.id)).toBe(8);
    const afterPartial = await salesOrFail(admin, event.id);
    expect(afterPartial).toMatchObject({ sold: 2, refunded: 0 });
    expect(afterPartial.revenue).toMatchObject({
      total: 5000 - 1500,
      byPrice: [{ unitPrice: 2500, tickets: 2, amount: 3500 }],
      byDay: [{ tickets: 2, amount: 3500 }],
    });

    await dashboard.refunds.create({ payment_intent: paymentIntent });
    const refunded = await bookingWhen(user, booking.id, (b) => b.status === 'refunded');
    expect(refunded.refundedAmount).toBe(5000);
    expect(refunded.tickets?.map((ticket) => ticket.status)).toEqual(['void', 'void']);
    expect(await availableTickets(user, event.id)).toBe(10);
    const afterWhole = await salesOrFail(admin, event.id);
    expect(afterWhole).toMatchObject({ sold: 0, refunded: 2 });
    expect(afterWhole.revenue).toMatchObject({ total: 0, byPrice: [], byDay: [] });
  });

  it('refuses other companies with 404, normal users with 403, callers without a token with 401', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const otherAdmin = await createCompanyAdmin();
    const other = await eventSales(otherAdmin, event.id);
    expect(other.response.status).toBe(404);
    expect(other.error?.type).toBe(problemType('not-found'));
    expect((await eventSales(await createRegisteredUser(), event.id)).response.status).toBe(403);
    expect((await eventSales(undefined, event.id)).response.status).toBe(401);
  });

  it('answers 404 for an unknown event and 400 for a missing, malformed or unknown parameter', async () => {
    const admin = await createCompanyAdmin();
    const unknown = await eventSales(admin, 'noSuchEvent');
    expect(unknown.response.status).toBe(404);
    const malformed = await eventSales(admin, 'a/b');
    expect(malformed.response.status).toBe(400);
    expect(malformed.error?.type).toBe(problemType('validation'));
    // Raw: the typed client always sends `id` and nothing else.
    const queries: Record<string, string>[] = [{}, { id: 'abc', extra: '1' }];
    for (const query of queries) {
      const response = await callFunction<ProblemJson>('eventSales', { token: admin.idToken, query });
      expect(response.status).toBe(400);
      expect(response.body.type).toBe(problemType('validation'));
    }
  });
});
