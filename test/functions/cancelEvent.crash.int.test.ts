import { systemClock } from '../../shared/time/clock';
import { createCancellationWorker } from '../../shared/cancellations/cancellation-services';
import type { PaymentGateway } from '../../shared/payments/payment-gateway';
import { StripePaymentGateway } from '../../shared/payments/stripe-payment-gateway';
import { apiClient, expectData } from '../support/api-client';
import { createEventAs } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import { sandboxStripe } from '../support/stripe-sandbox';
import { bookOrFail, bookingWhen, payAndConfirm, stripeSandboxUrl } from './booking-fixtures';

/** The worker's process dies: every Stripe call from now on fails, the one that dies included. */
class WorkerDied extends Error {}

/**
 * The real gateway on the local sandbox, which "crashes" after `survives` refunds: the fatal refund reaches
 * Stripe (and is applied there) but its caller never learns it, as when a process dies mid-call.
 */
function dyingGateway(survives: number): PaymentGateway & { refundsSent: number } {
  const url = new URL(stripeSandboxUrl());
  const real = new StripePaymentGateway({
    secretKey: 'sk_test_crash',
    webhookSecret: undefined,
    apiHost: url.hostname,
    apiPort: Number(url.port),
    apiProtocol: 'http',
  });
  const gateway = {
    refundsSent: 0,
    createPaymentIntent: real.createPaymentIntent.bind(real),
    retrievePaymentIntent: real.retrievePaymentIntent.bind(real),
    cancelPaymentIntent: real.cancelPaymentIntent.bind(real),
    verifyWebhook: real.verifyWebhook.bind(real),
    refundPaymentIntent: async (id: string, key: string) => {
      if (gateway.refundsSent > survives) throw new WorkerDied('the worker is gone');
      gateway.refundsSent += 1;
      const call = gateway.refundsSent;
      await real.refundPaymentIntent(id, key);
      if (call > survives) throw new WorkerDied('the worker died after Stripe answered');
    },
  };
  return gateway;
}

describe('the cancellation fan-out, killed part-way and restarted', () => {
  it('ends with every confirmed booking refunded exactly once', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 20, surgeThreshold: 20 });
    const buyers = await Promise.all([
      createRegisteredUser(),
      createRegisteredUser(),
      createRegisteredUser(),
    ]);
    const paid = (
      await Promise.all(
        buyers.map(async (buyer) => {
          const bookings = [];
          for (const quantity of [1, 2]) {
            const booking = await bookOrFail(buyer, event.id, quantity);
            await payAndConfirm(buyer, booking.id);
            bookings.push({ buyer, booking });
          }
          return bookings;
        }),
      )
    ).flat();
    expectData(
      await apiClient(admin.idToken).POST('/cancelEvent', {
        body: { id: event.id, version: event.version, reason: 'Power cut' },
      }),
      200,
    );

    const settings = { refundsPerSecond: 50, runMs: 10_000, maxRateLimitRetries: 3 };
    const dying = dyingGateway(2);
    const first = await createCancellationWorker(adminFirestore(), dying, systemClock, settings).run();
    // It settled the bookings, got two refunds through, sent a third that Stripe applied, then died.
    expect(first.failed).toBeGreaterThan(0);
    // The restart sends what is still owed, the refund Stripe applied before the crash again under its key
    // (Stripe replays its first answer: no second refund).
    const restarted = dyingGateway(Number.POSITIVE_INFINITY);
    await createCancellationWorker(adminFirestore(), restarted, systemClock, settings).run();

    const stripe = sandboxStripe(stripeSandboxUrl());
    for (const { buyer, booking } of paid) {
      await bookingWhen(buyer, booking.id, (current) => current.status === 'refunded');
      const payments = await adminFirestore()
        .collection('payments')
        .where('bookingId', '==', booking.id)
        .get();
      const payment = payments.docs[0];
      const intent = await stripe.paymentIntents.retrieve(payment?.get('stripePaymentIntentId') as string, {
        expand: ['latest_charge'],
      });
      expect((intent.latest_charge as { amount_refunded: number }).amount_refunded).toBe(booking.total);
      const refunds = await adminFirestore()
        .collection('auditLog')
        .where('target.paymentId', '==', payment?.id)
        .where('action', '==', 'payment.refunded')
        .get();
      expect(refunds.size).toBe(1);
    }
    const sales = expectData(
      await apiClient(admin.idToken).GET('/eventSales', { params: { query: { id: event.id } } }),
      200,
    );
    expect(sales).toMatchObject({ sold: 0, refunded: 9, refundFailed: 0 });
  }, 120_000);
});
