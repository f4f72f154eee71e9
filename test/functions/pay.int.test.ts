import { confirmLikePaymentSheet } from '../../local/stripe/payment-sheet';
import { createEventAs } from '../support/events';
import { apiClient } from '../support/api-client';
import { sandboxControl } from '../support/stripe-sandbox';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../support/roles';
import {
  bookingWhen,
  bookOrFail,
  lapseHold,
  payOrFail,
  problemType,
  stripeSandboxUrl,
  type ProblemJson,
} from './booking-fixtures';

function pay(user: RoleUser | undefined, bookingId: string) {
  return apiClient(user?.idToken).POST('/pay', { body: { bookingId } });
}

async function heldBooking() {
  const admin = await createCompanyAdmin();
  const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10 });
  const user = await createRegisteredUser();
  return { user, booking: await bookOrFail(user, event.id, 1) };
}

describe('POST /pay refusals (nothing reaches Stripe)', () => {
  it('answers 401 without a token and 400 for a malformed body', async () => {
    expect((await pay(undefined, 'abc')).response.status).toBe(401);
    const user = await createRegisteredUser();
    const response = await callFunction<ProblemJson>('pay', {
      token: user.idToken,
      body: { bookingId: 'no/such', amount: 1 },
    });
    expect(response.status).toBe(400);
    expect(response.body.type).toBe(problemType('validation'));
  });

  it("answers 404 for an unknown or someone else's booking", async () => {
    const { booking } = await heldBooking();
    const stranger = await createRegisteredUser();
    expect((await pay(stranger, booking.id)).response.status).toBe(404);
    expect((await pay(stranger, 'unknownBooking')).response.status).toBe(404);
  });

  it('answers 409 invalid-state for a booking that is no longer held', async () => {
    const { user, booking } = await heldBooking();
    await lapseHold(booking);
    const { error, response } = await pay(user, booking.id);
    expect(response.status).toBe(409);
    expect(error?.type).toBe(problemType('invalid-state'));
  });
});

describe('the payment journey over the local cloud', () => {
  it('book → pay → decline → pay again → confirm → webhook → push → tickets → cancel → refunded', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10, basePrice: 2500 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);

    const first = await payOrFail(user, booking.id);
    expect(first).toMatchObject({
      bookingId: booking.id,
      amount: 5000,
      currency: 'EUR',
      status: 'requires_payment_method',
    });
    expect(await payOrFail(user, booking.id)).toEqual(first);
    const declined = await confirmLikePaymentSheet({
      sandboxUrl: stripeSandboxUrl(),
      clientSecret: first.clientSecret,
      paymentMethod: 'pm_card_chargeDeclined',
    });
    expect(declined.ok).toBe(false);

    const second = await payOrFail(user, booking.id);
    expect(second.stripePaymentIntentId).not.toBe(first.stripePaymentIntentId);
    const paid = await confirmLikePaymentSheet({
      sandboxUrl: stripeSandboxUrl(),
      clientSecret: second.clientSecret,
    });
    expect(paid.ok).toBe(true);

    const confirmed = await bookingWhen(user, booking.id, (b) => (b.tickets?.length ?? 0) > 0);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.tickets).toHaveLength(2);

    const cancelled = await apiClient(user.idToken).POST('/cancelBooking', {
      body: { bookingId: booking.id },
    });
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.data?.booking.status).toMatch(/^refund(_pending|ed)$/);
    const refunded = await bookingWhen(user, booking.id, (b) => b.status === 'refunded');
    expect(refunded.tickets?.map((ticket) => ticket.status)).toEqual(['void', 'void']);
  });
});

describe('POST /pay while a payment is under way', () => {
  it('returns the PaymentIntent that succeeded before its webhook arrived; the webhook confirms it later', async () => {
    const { user, booking } = await heldBooking();
    const sandbox = sandboxControl(stripeSandboxUrl());
    const first = await payOrFail(user, booking.id);
    await sandbox.hold(first.stripePaymentIntentId);
    const paid = await confirmLikePaymentSheet({
      sandboxUrl: stripeSandboxUrl(),
      clientSecret: first.clientSecret,
    });
    expect(paid.ok).toBe(true);

    expect(await payOrFail(user, booking.id)).toEqual(first);
    expect((await bookingWhen(user, booking.id, () => true)).status).toBe('held');

    const released = await sandbox.release(first.stripePaymentIntentId);
    expect(released.map((event) => event.type)).toContain('payment_intent.succeeded');
    expect((await bookingWhen(user, booking.id, (b) => b.status === 'confirmed')).status).toBe('confirmed');
  });
});
