import {
  USER_NOTIFICATIONS_TOPIC,
  userNotificationSchema,
  type UserNotification,
} from '../../../shared/notifications/user-notification';
import { bookOrFail, lapseHold } from '../../functions/booking-fixtures';
import { pushPaymentConfirmed } from '../../functions/check-in-fixtures';
import { apiClient } from '../../support/api-client';
import { createEventAs } from '../../support/events';
import { adminFirestore } from '../../support/firestore-admin';
import { callFunction } from '../../support/http-client';
import { createCompanyAdmin, createRegisteredUser } from '../../support/roles';
import {
  deliver,
  paidThroughWebhook,
  startPaymentHarness,
  type PaymentHarness,
} from '../payments/payment-fixtures';

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await startPaymentHarness();
});

afterAll(async () => {
  await harness.sandbox.stop();
});

/** The user's notifications written to the outbox (by this process's services or the functions'). */
async function outboxNotifications(userId: string): Promise<UserNotification[]> {
  const snapshot = await adminFirestore()
    .collection('outbox')
    .where('topic', '==', USER_NOTIFICATIONS_TOPIC)
    .where('orderingKey', '==', userId)
    .get();
  return snapshot.docs.map((doc) => userNotificationSchema.parse(JSON.parse(doc.get('data') as string)));
}

describe('user notifications written with the changes they announce', () => {
  it('booking.confirmed once per booking, in the webhook transaction, and published after it', async () => {
    const { user, booking, payment, event } = await paidThroughWebhook(harness, 2);
    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);

    const written = await outboxNotifications(user.uid);
    expect(written).toEqual([
      {
        notificationId: expect.any(String),
        userId: user.uid,
        type: 'booking.confirmed',
        eventId: event.id,
        bookingId: booking.id,
        createdAt: expect.any(String),
        data: { quantity: 2, total: booking.total, currency: booking.currency },
      },
    ]);
    const published = harness.publisher.published.filter(
      (message) => message.topic === USER_NOTIFICATIONS_TOPIC && message.orderingKey === user.uid,
    );
    expect(published.map((message) => JSON.parse(message.data) as unknown)).toEqual(written);
  });

  it('booking.refunded once, when the refund of the paying payment is applied', async () => {
    const { user, booking, payment } = await paidThroughWebhook(harness, 1);
    await harness.stripe.refunds.create({ payment_intent: payment.stripePaymentIntentId });
    await deliver(harness, 'charge.refunded', payment.stripePaymentIntentId);
    await deliver(harness, 'charge.refunded', payment.stripePaymentIntentId);

    const refunded = (await outboxNotifications(user.uid)).filter((n) => n.type === 'booking.refunded');
    expect(refunded).toEqual([
      expect.objectContaining({
        bookingId: booking.id,
        data: { refundedAmount: booking.total, currency: booking.currency },
      }),
    ]);
  });

  it('tickets.issued once per booking however often payment-confirmed is delivered', async () => {
    const { user, booking } = await paidThroughWebhook(harness, 3);
    const message = harness.publisher.published.find(
      (published) => published.topic === 'payment-confirmed' && published.orderingKey === booking.id,
    );
    if (message === undefined) throw new Error('no payment-confirmed message was published');
    expect((await pushPaymentConfirmed(message.data, '1')).status).toBe(204);
    expect((await pushPaymentConfirmed(message.data, '2')).status).toBe(204);

    const issued = (await outboxNotifications(user.uid)).filter((n) => n.type === 'tickets.issued');
    expect(issued).toEqual([expect.objectContaining({ bookingId: booking.id, data: { quantity: 3 } })]);
  });

  it('booking.expired when a hold lapses and the release job ends it, not when its owner cancels it', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10 });
    const [lapsing, cancelling] = await Promise.all([createRegisteredUser(), createRegisteredUser()]);
    const lapsed = await bookOrFail(lapsing, event.id, 2);
    const cancelled = await bookOrFail(cancelling, event.id, 1);
    await lapseHold(lapsed);
    const answer = await apiClient(cancelling.idToken).POST('/cancelBooking', {
      body: { bookingId: cancelled.id },
    });
    expect(answer.response.status).toBe(200);

    expect((await callFunction('releaseExpiredHolds', { method: 'POST' })).status).toBe(200);
    expect((await callFunction('releaseExpiredHolds', { method: 'POST' })).status).toBe(200);

    expect(await outboxNotifications(lapsing.uid)).toEqual([
      expect.objectContaining({
        type: 'booking.expired',
        eventId: event.id,
        bookingId: lapsed.id,
        data: { quantity: 2 },
      }),
    ]);
    expect(await outboxNotifications(cancelling.uid)).toEqual([]);
  });
});
