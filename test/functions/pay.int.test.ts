import { setTimeout as sleep } from 'node:timers/promises';
import { confirmLikePaymentSheet } from '../../local/stripe/payment-sheet';
import { createEventAs } from '../support/events';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../support/roles';
import { bookOrFail, lapseHold, problemType, type BookingJson, type ProblemJson } from './booking-fixtures';

interface PaymentJson {
  readonly id: string;
  readonly bookingId: string;
  readonly amount: number;
  readonly currency: string;
  readonly status: string;
  readonly stripePaymentIntentId: string;
  readonly clientSecret: string;
}

function stripeSandboxUrl(): string {
  const host = process.env['STRIPE_API_HOST'];
  const port = process.env['STRIPE_API_PORT'];
  if (!host || !port) throw new Error('the local cloud exports no Stripe sandbox address');
  return `http://${host}:${port}`;
}

async function payOrFail(user: RoleUser, bookingId: string): Promise<PaymentJson> {
  const response = await callFunction<{ payment: PaymentJson }>('pay', {
    token: user.idToken,
    body: { bookingId },
  });
  if (response.status !== 200)
    throw new Error(`pay answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.payment;
}

/** Reads the booking until `done` holds: webhooks and Pub/Sub pushes arrive asynchronously. */
async function bookingWhen(user: RoleUser, id: string, done: (booking: BookingJson) => boolean) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await callFunction<{ booking: BookingJson }>('getBooking', {
      token: user.idToken,
      query: { id },
    });
    if (response.status === 200 && done(response.body.booking)) return response.body.booking;
    await sleep(100);
  }
  throw new Error(`booking ${id} never reached the expected state`);
}

function pay(user: RoleUser | undefined, body: Record<string, unknown>) {
  return callFunction<ProblemJson>('pay', { body, ...(user === undefined ? {} : { token: user.idToken }) });
}

async function heldBooking() {
  const admin = await createCompanyAdmin();
  const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10 });
  const user = await createRegisteredUser();
  return { user, booking: await bookOrFail(user, event.id, 1) };
}

describe('POST /pay refusals (nothing reaches Stripe)', () => {
  it('answers 401 without a token and 400 for a malformed body', async () => {
    expect((await pay(undefined, { bookingId: 'abc' })).status).toBe(401);
    const user = await createRegisteredUser();
    const response = await pay(user, { bookingId: 'no/such', amount: 1 });
    expect(response.status).toBe(400);
    expect(response.body.type).toBe(problemType('validation'));
  });

  it("answers 404 for an unknown or someone else's booking", async () => {
    const { booking } = await heldBooking();
    const stranger = await createRegisteredUser();
    expect((await pay(stranger, { bookingId: booking.id })).status).toBe(404);
    expect((await pay(stranger, { bookingId: 'unknownBooking' })).status).toBe(404);
  });

  it('answers 409 invalid-state for a booking that is no longer held', async () => {
    const { user, booking } = await heldBooking();
    await lapseHold(booking);
    const response = await pay(user, { bookingId: booking.id });
    expect(response.status).toBe(409);
    expect(response.body.type).toBe(problemType('invalid-state'));
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
      currency: 'eur',
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

    const cancelled = await callFunction<{ booking: BookingJson }>('cancelBooking', {
      token: user.idToken,
      body: { bookingId: booking.id },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.booking.status).toMatch(/^refund(_pending|ed)$/);
    const refunded = await bookingWhen(user, booking.id, (b) => b.status === 'refunded');
    expect(refunded.tickets).toBeUndefined();
  });
});
