import { confirmLikePaymentSheet } from '../../../local/stripe/payment-sheet';
import { ConflictError, NotFoundError } from '../../../shared/errors/domain-errors';
import { paymentDependencies } from '../../../shared/payments/payment-dependencies';
import type { PaymentGateway } from '../../../shared/payments/payment-gateway';
import { RefundService } from '../../../shared/payments/refund-service';
import { systemClock } from '../../../shared/time/clock';
import { availableTickets, bookOrFail } from '../../functions/booking-fixtures';
import { checkIn, pushPaymentConfirmed } from '../../functions/check-in-fixtures';
import { createEventAs, type EventJson } from '../../support/events';
import { adminFirestore } from '../../support/firestore-admin';
import { callFunction } from '../../support/http-client';

import {
  createCompanyAdmin,
  createRegisteredUser,
  type CompanyAdmin,
  type RoleUser,
} from '../../support/roles';
import { deliver, startPaymentHarness, stored, type PaymentHarness } from './payment-fixtures';

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await startPaymentHarness();
});

afterAll(async () => {
  await harness.sandbox.stop();
});

describe('RefundService.refundBooking', () => {
  it('refunds a confirmed booking once; the refund webhook returns its tickets', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);
    await expect(harness.refunds.refundBooking(user.uid, booking.id)).rejects.toThrow(ConflictError);
    const { payment } = await harness.payments.pay(user.uid, booking.id);
    await confirmLikePaymentSheet({ sandboxUrl: harness.sandbox.url, clientSecret: payment.clientSecret });
    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);

    const stranger = await createRegisteredUser();
    await expect(harness.refunds.refundBooking(stranger.uid, booking.id)).rejects.toThrow(NotFoundError);
    const answers = await Promise.allSettled([
      harness.refunds.refundBooking(user.uid, booking.id),
      harness.refunds.refundBooking(user.uid, booking.id),
    ]);
    expect(answers.some((answer) => answer.status === 'fulfilled')).toBe(true);
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'refund_pending' });
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'refund_pending' });
    const intent = await harness.stripe.paymentIntents.retrieve(payment.stripePaymentIntentId, {
      expand: ['latest_charge'],
    });
    expect(intent.latest_charge).toMatchObject({ amount_refunded: booking.total });

    await deliver(harness, 'charge.refunded', payment.stripePaymentIntentId);
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'refunded' });
    expect(await availableTickets(user, event.id)).toBe(10);
    await expect(harness.refunds.refundBooking(user.uid, booking.id)).rejects.toThrow(ConflictError);
  });

  describe('of a ticketed booking', () => {
    /** A paid booking whose tickets `issueTickets` issued, as the payment-confirmed push does. */
    async function ticketed(): Promise<{
      admin: CompanyAdmin;
      event: EventJson;
      user: RoleUser;
      bookingId: string;
      codes: string[];
    }> {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10 });
      const user = await createRegisteredUser();
      const booking = await bookOrFail(user, event.id, 2);
      const { payment } = await harness.payments.pay(user.uid, booking.id);
      await confirmLikePaymentSheet({ sandboxUrl: harness.sandbox.url, clientSecret: payment.clientSecret });
      await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
      const message = harness.publisher.published.find(({ orderingKey }) => orderingKey === booking.id);
      if (message === undefined) throw new Error('no payment-confirmed message was published');
      expect((await pushPaymentConfirmed(message.data, booking.id)).status).toBe(204);
      const stored = await adminFirestore().collection('bookings').doc(booking.id).get();
      const codes = (stored.get('tickets') as { code: string }[]).map((ticket) => ticket.code);
      return { admin, event, user, bookingId: booking.id, codes };
    }

    it('voids the tickets in the transaction that moves the booking to refund_pending', async () => {
      const { user, bookingId } = await ticketed();
      const refunding = await harness.refunds.refundBooking(user.uid, bookingId);
      expect(refunding.booking.tickets?.map((ticket) => ticket.status)).toEqual(['void', 'void']);
      const records = await adminFirestore().collection('tickets').where('bookingId', '==', bookingId).get();
      expect(records.docs.map((record) => record.get('status'))).toEqual(['void', 'void']);
    });

    /** The refund service with Stripe's refund call replaced by `refund` (which may delegate to Stripe). */
    function refundsWith(refund: PaymentGateway['refundPaymentIntent']): RefundService {
      const gateway: PaymentGateway = Object.assign(Object.create(harness.gateway) as PaymentGateway, {
        refundPaymentIntent: refund,
      });
      return new RefundService(paymentDependencies(adminFirestore(), gateway, systemClock));
    }

    it('refuses a scan made while Stripe refunds (409 ticket-void): nobody enters on money being returned', async () => {
      const { admin, event, user, bookingId, codes } = await ticketed();
      const scans: number[] = [];
      const refunds = refundsWith(async (id, key) => {
        scans.push((await checkIn(admin, event.id, codes[0] ?? '')).status);
        await harness.gateway.refundPaymentIntent(id, key);
      });
      await refunds.refundBooking(user.uid, bookingId);
      expect(scans).toEqual([409]);
      expect(await stored('bookings', bookingId)).toMatchObject({ status: 'refund_pending' });
      const records = await adminFirestore().collection('tickets').where('bookingId', '==', bookingId).get();
      expect(records.docs.map((record) => record.get('status'))).toEqual(['void', 'void']);
    });

    it('lets the tickets in again when Stripe fails the refund, and leaves the booking confirmed', async () => {
      const { admin, event, user, bookingId, codes } = await ticketed();
      const refunds = refundsWith(async () => {
        throw new Error('Stripe is down');
      });
      await expect(refunds.refundBooking(user.uid, bookingId)).rejects.toThrow('Stripe is down');
      expect(await stored('bookings', bookingId)).toMatchObject({ status: 'confirmed' });
      expect((await checkIn(admin, event.id, codes[0] ?? '')).status).toBe(200);
    });

    it('is refused once a ticket is checked in (409 already-checked-in) or the event has started (409 event-started)', async () => {
      const checked = await ticketed();
      expect((await checkIn(checked.admin, checked.event.id, checked.codes[1] ?? '')).status).toBe(200);
      await expect(harness.refunds.refundBooking(checked.user.uid, checked.bookingId)).rejects.toMatchObject({
        kind: 'already-checked-in',
        extensions: { checkedInAt: expect.any(String) },
      });
      const started = await ticketed();
      await adminFirestore()
        .collection('events')
        .doc(started.event.id)
        .update({ startsAt: new Date(Date.now() - 60_000) });
      await expect(harness.refunds.refundBooking(started.user.uid, started.bookingId)).rejects.toMatchObject({
        kind: 'event-started',
      });
      const sales = await callFunction<{ sold: number }>('eventSales', {
        token: checked.admin.idToken,
        query: { id: checked.event.id },
      });
      expect(sales.body.sold).toBe(2);
    });
  });
});
