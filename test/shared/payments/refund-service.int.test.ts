import { confirmLikePaymentSheet } from '../../../local/stripe/payment-sheet';
import { ConflictError, NotFoundError } from '../../../shared/errors/domain-errors';
import { availableTickets, bookOrFail } from '../../functions/booking-fixtures';
import { createEventAs } from '../../support/events';
import { createCompanyAdmin, createRegisteredUser } from '../../support/roles';
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
});
