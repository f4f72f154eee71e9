import { confirmLikePaymentSheet } from '../../../local/stripe/payment-sheet';
import { systemClock } from '../../../shared/time/clock';
import { ConflictError, NotFoundError } from '../../../shared/errors/domain-errors';
import { paymentDependencies } from '../../../shared/payments/payment-dependencies';
import type { PaymentGateway } from '../../../shared/payments/payment-gateway';
import { PaymentService } from '../../../shared/payments/payment-service';
import { adminFirestore } from '../../support/firestore-admin';
import { bookOrFail, lapseHold } from '../../functions/booking-fixtures';
import { createEventAs } from '../../support/events';
import { createCompanyAdmin, createRegisteredUser } from '../../support/roles';
import { startPaymentHarness, stored, type PaymentHarness } from './payment-fixtures';

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await startPaymentHarness();
});

afterAll(async () => {
  await harness.sandbox.stop();
});

async function heldBooking() {
  const admin = await createCompanyAdmin();
  const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 1, basePrice: 2500 });
  const user = await createRegisteredUser();
  return { user, booking: await bookOrFail(user, event.id, 2) };
}

/** A held booking whose first attempt's card was declined. */
async function declinedFirstAttempt() {
  const { user, booking } = await heldBooking();
  const first = await harness.payments.pay(user.uid, booking.id);
  const declined = await confirmLikePaymentSheet({
    sandboxUrl: harness.sandbox.url,
    clientSecret: first.payment.clientSecret,
    paymentMethod: 'pm_card_chargeDeclined',
  });
  expect(declined.ok).toBe(false);
  return { user, booking, first };
}

describe('PaymentService.pay', () => {
  it("charges exactly the booking's total (Stripe's lower-case currency) and returns the same attempt again", async () => {
    const { user, booking } = await heldBooking();
    const first = await harness.payments.pay(user.uid, booking.id);
    expect(first.payment).toEqual({
      id: expect.any(String),
      bookingId: booking.id,
      amount: booking.total,
      currency: booking.currency,
      status: 'requires_payment_method',
      stripePaymentIntentId: expect.stringMatching(/^pi_/),
      clientSecret: expect.stringMatching(/_secret_/),
    });
    const intent = await harness.stripe.paymentIntents.retrieve(first.payment.stripePaymentIntentId);
    expect(intent).toMatchObject({
      amount: booking.total,
      currency: booking.currency.toLowerCase(),
      metadata: { booking_id: booking.id, payment_id: first.payment.id },
    });
    expect((await harness.payments.pay(user.uid, booking.id)).payment).toEqual(first.payment);
    expect(await stored('payments', first.payment.id)).toMatchObject({ attempt: 1, userId: user.uid });
  });

  it('creates one PaymentIntent for concurrent calls', async () => {
    const { user, booking } = await heldBooking();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => harness.payments.pay(user.uid, booking.id)),
    );
    expect(new Set(answers.map(({ payment }) => payment.stripePaymentIntentId)).size).toBe(1);
    expect(new Set(answers.map(({ payment }) => payment.id)).size).toBe(1);
  });

  it('opens a new attempt with a new PaymentIntent after a decline, which then pays', async () => {
    const { user, booking, first } = await declinedFirstAttempt();
    const second = await harness.payments.pay(user.uid, booking.id);
    expect(second.payment.id).not.toBe(first.payment.id);
    expect(second.payment.stripePaymentIntentId).not.toBe(first.payment.stripePaymentIntentId);
    expect(await stored('payments', first.payment.id)).toMatchObject({ status: 'canceled' });
    expect(await stored('payments', second.payment.id)).toMatchObject({ attempt: 2 });
    // Cancelled at Stripe before the second was created: the first can no longer be paid with another card.
    const replaced = await harness.stripe.paymentIntents.retrieve(first.payment.stripePaymentIntentId);
    expect(replaced.status).toBe('canceled');
    const late = await confirmLikePaymentSheet({
      sandboxUrl: harness.sandbox.url,
      clientSecret: first.payment.clientSecret,
    });
    expect(late.ok).toBe(false);
    const paid = await confirmLikePaymentSheet({
      sandboxUrl: harness.sandbox.url,
      clientSecret: second.payment.clientSecret,
    });
    expect(paid.ok).toBe(true);
  });

  it.each(['requires_action', 'processing'] as const)(
    'returns the PaymentIntent while it is %s instead of opening another',
    async (status) => {
      const { user, booking } = await heldBooking();
      const first = await harness.payments.pay(user.uid, booking.id);
      harness.sandbox.alterPaymentIntent(first.payment.stripePaymentIntentId, { status });
      expect((await harness.payments.pay(user.uid, booking.id)).payment).toEqual(first.payment);
      expect(await stored('bookings', booking.id)).toMatchObject({ paymentAttempts: 1 });
    },
  );

  it('returns a PaymentIntent that succeeded before its webhook arrived instead of opening another', async () => {
    const { user, booking } = await heldBooking();
    const first = await harness.payments.pay(user.uid, booking.id);
    const paid = await confirmLikePaymentSheet({
      sandboxUrl: harness.sandbox.url,
      clientSecret: first.payment.clientSecret,
    });
    expect(paid.ok).toBe(true);
    expect((await harness.payments.pay(user.uid, booking.id)).payment).toEqual(first.payment);
    expect(await stored('bookings', booking.id)).toMatchObject({ paymentAttempts: 1, status: 'held' });
  });

  it('opens one replacement for concurrent calls after a decline, with one live PaymentIntent', async () => {
    const { user, booking, first } = await declinedFirstAttempt();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => harness.payments.pay(user.uid, booking.id)),
    );
    const intents = new Set(answers.map(({ payment }) => payment.stripePaymentIntentId));
    expect(intents.size).toBe(1);
    expect(intents.has(first.payment.stripePaymentIntentId)).toBe(false);
    expect(await stored('bookings', booking.id)).toMatchObject({ paymentAttempts: 2 });
    const replaced = await harness.stripe.paymentIntents.retrieve(first.payment.stripePaymentIntentId);
    expect(replaced.status).toBe('canceled');
  });

  it('returns a declined PaymentIntent that another card paid just before pay could cancel it', async () => {
    const { user, booking, first } = await declinedFirstAttempt();
    // The customer's second card goes through between pay's look at the PaymentIntent and its cancel.
    const racing: PaymentGateway = {
      createPaymentIntent: (request) => harness.gateway.createPaymentIntent(request),
      retrievePaymentIntent: (id) => harness.gateway.retrievePaymentIntent(id),
      refundPaymentIntent: (id, key) => harness.gateway.refundPaymentIntent(id, key),
      verifyWebhook: (rawBody, signature) => harness.gateway.verifyWebhook(rawBody, signature),
      cancelPaymentIntent: async (id) => {
        await confirmLikePaymentSheet({
          sandboxUrl: harness.sandbox.url,
          clientSecret: first.payment.clientSecret,
        });
        return harness.gateway.cancelPaymentIntent(id);
      },
    };
    const payments = new PaymentService(paymentDependencies(adminFirestore(), racing, systemClock));
    expect((await payments.pay(user.uid, booking.id)).payment).toEqual(first.payment);
    const intent = await harness.stripe.paymentIntents.retrieve(first.payment.stripePaymentIntentId);
    expect(intent.status).toBe('succeeded');
    expect(await stored('bookings', booking.id)).toMatchObject({ paymentAttempts: 1 });
  });

  it("answers 404 for someone else's booking and 409 for one that is no longer held", async () => {
    const { user, booking } = await heldBooking();
    const stranger = await createRegisteredUser();
    await expect(harness.payments.pay(stranger.uid, booking.id)).rejects.toThrow(NotFoundError);
    await lapseHold(booking);
    await expect(harness.payments.pay(user.uid, booking.id)).rejects.toThrow(ConflictError);
  });
});
