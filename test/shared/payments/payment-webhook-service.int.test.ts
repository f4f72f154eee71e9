import { confirmLikePaymentSheet } from '../../../local/stripe/payment-sheet';

import { logger } from '../../../shared/logging/logger';
import { ConflictError, ValidationError } from '../../../shared/errors/domain-errors';
import { SWEEP_MIN_AGE_MS } from '../../../shared/pubsub/outbox-relay';
import { OutboxRelay } from '../../../shared/pubsub/outbox-relay';
import { OutboxRepository } from '../../../shared/pubsub/outbox-repository';
import { availableTickets, bookOrFail, lapseHold } from '../../functions/booking-fixtures';
import { createEventAs } from '../../support/events';
import { adminFirestore } from '../../support/firestore-admin';
import { callFunction } from '../../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type RoleUser } from '../../support/roles';
import {
  deliver,
  signedEvent,
  startPaymentHarness,
  stored,
  WEBHOOK_SECRET,
  type PaymentHarness,
} from './payment-fixtures';

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await startPaymentHarness();
});

afterAll(async () => {
  await harness.sandbox.stop();
});

async function heldBooking(totalTickets = 10, quantity = 2) {
  const admin = await createCompanyAdmin();
  const event = await createEventAs(admin, { totalTickets, surgeThreshold: totalTickets });
  const user = await createRegisteredUser();
  const booking = await bookOrFail(user, event.id, quantity);
  return { event, user, booking };
}

async function payAndConfirm(userId: string, bookingId: string, paymentMethod = 'pm_card_visa') {
  const { payment } = await harness.payments.pay(userId, bookingId);
  const confirmation = await confirmLikePaymentSheet({
    sandboxUrl: harness.sandbox.url,
    clientSecret: payment.clientSecret,
    paymentMethod,
  });
  return { payment, confirmation };
}

/** Delivers a signed event and expects the service to apply it. */
async function expectApplied(type: string, paymentIntentId: string, eventId?: string) {
  await expect(deliver(harness, type, paymentIntentId, eventId)).resolves.toEqual({ outcome: 'applied' });
}

function confirmedMessagesOf(bookingId: string) {
  return harness.publisher.published.filter((message) => message.orderingKey === bookingId);
}

describe('PaymentWebhookService signatures', () => {
  it('accepts a valid signature and refuses tampered, expired and missing ones, changing nothing', async () => {
    const { user, booking } = await heldBooking();
    const { payment } = await payAndConfirm(user.uid, booking.id);
    const object = { id: payment.stripePaymentIntentId, object: 'payment_intent' } as const;
    const tampered = signedEvent(harness.stripe, 'payment_intent.succeeded', object);
    const tamperedBody = Buffer.from(tampered.rawBody.toString().replace('succeeded', 'canceled'));
    const expired = signedEvent(
      harness.stripe,
      'payment_intent.succeeded',
      object,
      undefined,
      Math.floor(Date.now() / 1000) - 600,
    );
    const valid = signedEvent(harness.stripe, 'payment_intent.succeeded', object);

    await expect(harness.webhooks.handle(tamperedBody, tampered.signature)).rejects.toThrow(ValidationError);
    await expect(harness.webhooks.handle(expired.rawBody, expired.signature)).rejects.toThrow(
      ValidationError,
    );
    await expect(harness.webhooks.handle(valid.rawBody, undefined)).rejects.toThrow(ValidationError);
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'requires_payment_method' });
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'held' });

    await expect(harness.webhooks.handle(valid.rawBody, valid.signature)).resolves.toEqual({
      outcome: 'applied',
    });
  });

  it('ignores event types it does not handle', async () => {
    const event = signedEvent(harness.stripe, 'customer.created', { id: 'cus_1', object: 'charge' });
    await expect(harness.webhooks.handle(event.rawBody, event.signature)).resolves.toEqual({
      outcome: 'ignored',
    });
  });
});

describe('PaymentWebhookService payment_intent.succeeded', () => {
  it('applies an event delivered five times once: confirmed, sold, one message', async () => {
    const { event, user, booking } = await heldBooking(10, 2);
    const { payment } = await payAndConfirm(user.uid, booking.id);
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId, 'evt_same_' + booking.id),
      ),
    );
    expect(outcomes.filter(({ outcome }) => outcome === 'applied')).toHaveLength(1);
    expect(await stored('bookings', booking.id)).toMatchObject({
      status: 'confirmed',
      paidByPaymentId: payment.id,
    });
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'succeeded' });
    expect(await availableTickets(user, event.id)).toBe(8);
    const messages = confirmedMessagesOf(booking.id);
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]?.data ?? '')).toEqual({
      bookingId: booking.id,
      userId: user.uid,
      eventId: event.id,
      paymentId: payment.id,
      amount: booking.total,
      currency: booking.currency,
      confirmedAt: expect.stringMatching(/Z$/),
    });
  });

  it('never moves a succeeded payment back when payment_failed arrives late', async () => {
    const { user, booking } = await heldBooking();
    const { payment } = await payAndConfirm(user.uid, booking.id);
    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
    await deliver(harness, 'payment_intent.payment_failed', payment.stripePaymentIntentId);
    await deliver(harness, 'payment_intent.canceled', payment.stripePaymentIntentId);
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'succeeded' });
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'confirmed' });
  });

  it('publishes a confirmation that Pub/Sub refused later, through the sweeper', async () => {
    const { user, booking } = await heldBooking();
    const { payment } = await payAndConfirm(user.uid, booking.id);
    harness.publisher.down = true;
    try {
      await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
    } finally {
      harness.publisher.down = false;
    }
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'confirmed' });
    expect(confirmedMessagesOf(booking.id)).toHaveLength(0);
    const later = { now: () => new Date(Date.now() + SWEEP_MIN_AGE_MS + 1000) };
    const sweeper = new OutboxRelay(new OutboxRepository(adminFirestore()), harness.publisher, later);
    await sweeper.sweep();
    expect(confirmedMessagesOf(booking.id)).toHaveLength(1);
    await sweeper.sweep();
    expect(confirmedMessagesOf(booking.id)).toHaveLength(1);
  });
});

describe('PaymentWebhookService after the hold expired', () => {
  async function expire(booking: Parameters<typeof lapseHold>[0]) {
    await lapseHold(booking);
    expect((await callFunction('releaseExpiredHolds', { method: 'POST' })).status).toBe(200);
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'expired' });
  }

  it('confirms the booking when its seats can be reserved again', async () => {
    const { event, user, booking } = await heldBooking(10, 2);
    const { payment } = await payAndConfirm(user.uid, booking.id);
    await expire(booking);
    expect(await availableTickets(user, event.id)).toBe(10);
    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'confirmed' });
    expect(await availableTickets(user, event.id)).toBe(8);
    expect(confirmedMessagesOf(booking.id)).toHaveLength(1);
  });

  it('refunds the payment automatically when the seats are gone', async () => {
    const { event, user, booking } = await heldBooking(2, 2);
    const { payment } = await payAndConfirm(user.uid, booking.id);
    await expire(booking);
    const other: RoleUser = await createRegisteredUser();
    await bookOrFail(other, event.id, 2);
    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'expired' });
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'refund_pending' });
    const intent = await harness.stripe.paymentIntents.retrieve(payment.stripePaymentIntentId, {
      expand: ['latest_charge'],
    });
    expect(intent.latest_charge).toMatchObject({ refunded: true });
    await deliver(harness, 'charge.refunded', payment.stripePaymentIntentId);
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'refunded' });
    expect(confirmedMessagesOf(booking.id)).toHaveLength(0);
  });
});

describe('PaymentWebhookService after the hold expired, with surge prices', () => {
  async function expire(booking: Parameters<typeof lapseHold>[0]) {
    await lapseHold(booking);
    expect((await callFunction('releaseExpiredHolds', { method: 'POST' })).status).toBe(200);
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'expired' });
  }

  async function surgeEvent() {
    const admin = await createCompanyAdmin();
    return createEventAs(admin, { totalTickets: 4, surgeThreshold: 2, basePrice: 2500, surgePrice: 4000 });
  }

  async function expectRefundedForPrice(paymentId: string, bookingId: string, reservedPrices: number[]) {
    expect(await stored('bookings', bookingId)).toMatchObject({ status: 'expired' });
    expect(await stored('payments', paymentId)).toMatchObject({ status: 'refund_pending' });
    expect(confirmedMessagesOf(bookingId)).toHaveLength(0);
    const audit = await adminFirestore()
      .collection('auditLog')
      .where('target.paymentId', '==', paymentId)
      .where('action', '==', 'payment.refund_pending')
      .get();
    expect(audit.docs.map((doc) => doc.get('details') as object)).toEqual([
      expect.objectContaining({ reason: 'price-changed', reservedPrices }),
    ]);
  }

  it('refunds a late payment made at base prices when only surge seats are left', async () => {
    const event = await surgeEvent();
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);
    expect(booking.unitPrices).toEqual([2500, 2500]);
    const { payment } = await payAndConfirm(user.uid, booking.id);
    await expire(booking);
    await bookOrFail(await createRegisteredUser(), event.id, 2);

    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
    await expectRefundedForPrice(payment.id, booking.id, [4000, 4000]);
    expect(await availableTickets(user, event.id)).toBe(2);
    const intent = await harness.stripe.paymentIntents.retrieve(payment.stripePaymentIntentId, {
      expand: ['latest_charge'],
    });
    expect(intent.latest_charge).toMatchObject({ refunded: true });
  });

  it('refunds a late payment made at surge prices when base seats came free', async () => {
    const event = await surgeEvent();
    const first = await createRegisteredUser();
    const early = await bookOrFail(first, event.id, 2);
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);
    expect(booking.unitPrices).toEqual([4000, 4000]);
    const { payment } = await payAndConfirm(user.uid, booking.id);
    await expire(booking);
    const cancelled = await callFunction('cancelBooking', {
      token: first.idToken,
      body: { bookingId: early.id },
    });
    expect(cancelled.status).toBe(200);

    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
    await expectRefundedForPrice(payment.id, booking.id, [2500, 2500]);
    expect(await availableTickets(user, event.id)).toBe(4);
  });

  it('confirms a late payment whose seats cost today exactly what it paid', async () => {
    const event = await surgeEvent();
    const first = await createRegisteredUser();
    await bookOrFail(first, event.id, 2);
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);
    const { payment } = await payAndConfirm(user.uid, booking.id);
    await expire(booking);

    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'confirmed' });
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'succeeded' });
    expect(await availableTickets(user, event.id)).toBe(0);
  });
});

describe('PaymentWebhookService charge.refunded', () => {
  it('refunds a confirmed booking and returns its tickets to sale', async () => {
    const { event, user, booking } = await heldBooking(10, 3);
    const { payment } = await payAndConfirm(user.uid, booking.id);
    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
    expect(await availableTickets(user, event.id)).toBe(7);
    await harness.stripe.refunds.create({ payment_intent: payment.stripePaymentIntentId });
    await deliver(harness, 'charge.refunded', payment.stripePaymentIntentId);
    await deliver(harness, 'charge.refunded', payment.stripePaymentIntentId);
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'refunded' });
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'refunded' });
    expect(await availableTickets(user, event.id)).toBe(10);
  });
});

describe('PaymentWebhookService hostile but signed deliveries', () => {
  afterEach(() => jest.restoreAllMocks());

  function signedPayload(payload: string) {
    const signature = harness.stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    return harness.webhooks.handle(Buffer.from(payload), signature);
  }

  it('refuses a signed body that is not a Stripe event with a ValidationError and logs why', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await expect(signedPayload('{"id":"evt_no_data","type":"payment_intent.succeeded"}')).rejects.toThrow(
      ValidationError,
    );
    expect(warn).toHaveBeenCalledWith('stripe webhook refused: the signed body is not a Stripe event', {
      reason: expect.stringContaining('data') as unknown,
    });
  });

  it('ignores, with a warning, a success whose PaymentIntent Stripe does not know', async () => {
    const { booking } = await heldBooking();
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const event = signedEvent(harness.stripe, 'payment_intent.succeeded', {
      id: 'pi_never_created',
      object: 'payment_intent',
    });
    await expect(harness.webhooks.handle(event.rawBody, event.signature)).resolves.toEqual({
      outcome: 'ignored',
    });
    expect(warn).toHaveBeenCalledWith('stripe event ignored: Stripe does not know its PaymentIntent', {
      eventId: event.eventId,
      paymentIntentId: 'pi_never_created',
    });
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'held' });
  });
});
describe('PaymentWebhookService event log', () => {
  async function recorded(eventId: string): Promise<boolean> {
    return (await adminFirestore().collection('stripeEvents').doc(eventId).get()).exists;
  }

  it('records an event only when it applied it', async () => {
    const { user, booking } = await heldBooking();
    const { payment } = await payAndConfirm(user.uid, booking.id);
    const success = `evt_success_${booking.id}`;
    const late = `evt_late_failure_${booking.id}`;
    await expectApplied('payment_intent.succeeded', payment.stripePaymentIntentId, success);
    await expect(
      deliver(harness, 'payment_intent.payment_failed', payment.stripePaymentIntentId, late),
    ).resolves.toEqual({ outcome: 'ignored' });
    expect(await recorded(success)).toBe(true);
    expect(await recorded(late)).toBe(false);
  });

  it('refuses a refund that arrives before its success (409, not recorded); the success then confirms nothing', async () => {
    const { event, user, booking } = await heldBooking(10, 2);
    const { payment } = await payAndConfirm(user.uid, booking.id);
    await harness.stripe.refunds.create({ payment_intent: payment.stripePaymentIntentId });
    const early = `evt_early_refund_${booking.id}`;

    const refused = deliver(harness, 'charge.refunded', payment.stripePaymentIntentId, early);
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toMatchObject({ kind: 'event-out-of-order' });
    expect(await recorded(early)).toBe(false);
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'requires_payment_method' });

    await expectApplied('payment_intent.succeeded', payment.stripePaymentIntentId);
    expect(await stored('payments', payment.id)).toMatchObject({ status: 'refunded' });
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'held' });
    expect(confirmedMessagesOf(booking.id)).toHaveLength(0);
    expect(await availableTickets(user, event.id)).toBe(8);

    // Stripe's redelivery of the refund finds its effect already there.
    await expect(deliver(harness, 'charge.refunded', payment.stripePaymentIntentId, early)).resolves.toEqual({
      outcome: 'ignored',
    });
    expect(await stored('bookings', booking.id)).toMatchObject({ status: 'held' });
  });
});

describe('PaymentWebhookService payment that does not match the booking', () => {
  async function auditOf(paymentId: string) {
    const entries = await adminFirestore()
      .collection('auditLog')
      .where('target.paymentId', '==', paymentId)
      .get();
    return entries.docs.map((doc) => ({
      action: doc.get('action') as string,
      details: doc.get('details') as object,
    }));
  }

  it.each([
    ['an amount received other than the total', { amount_received: 1000 }, 1000, 'eur'],
    ['another currency', { currency: 'usd' }, undefined, 'usd'],
  ])(
    'refunds %s automatically, confirms nothing and audits why',
    async (_case, alteration, received, currency) => {
      const { event, user, booking } = await heldBooking(10, 2);
      const { payment } = await payAndConfirm(user.uid, booking.id);
      harness.sandbox.alterPaymentIntent(payment.stripePaymentIntentId, alteration);

      await expectApplied('payment_intent.succeeded', payment.stripePaymentIntentId);
      expect(await stored('bookings', booking.id)).toMatchObject({ status: 'held' });
      expect(await stored('payments', payment.id)).toMatchObject({ status: 'refund_pending' });
      expect(confirmedMessagesOf(booking.id)).toHaveLength(0);
      expect(await availableTickets(user, event.id)).toBe(8);
      const intent = await harness.stripe.paymentIntents.retrieve(payment.stripePaymentIntentId, {
        expand: ['latest_charge'],
      });
      expect(intent.latest_charge).toMatchObject({
        refunded: true,
        amount_refunded: received ?? booking.total,
      });
      expect(await auditOf(payment.id)).toContainEqual({
        action: 'payment.refund_pending',
        details: expect.objectContaining({
          reason: 'amount-mismatch',
          amountReceived: received ?? booking.total,
          currencyReceived: currency,
        }),
      });

      await deliver(harness, 'charge.refunded', payment.stripePaymentIntentId);
      expect(await stored('payments', payment.id)).toMatchObject({ status: 'refunded' });
      expect(await stored('bookings', booking.id)).toMatchObject({ status: 'held' });
    },
  );
});
