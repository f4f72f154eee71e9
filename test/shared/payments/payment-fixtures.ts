import Stripe from 'stripe';
import { startStripeSandbox, type RunningStripeSandbox } from '../../../local/stripe/server';
import { systemClock, type Clock } from '../../../shared/time/clock';
import { UserHoldRepository } from '../../../shared/bookings/user-hold-repository';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import { paymentDependencies } from '../../../shared/payments/payment-dependencies';
import { PaymentService } from '../../../shared/payments/payment-service';
import { PaymentWebhookService } from '../../../shared/payments/payment-webhook-service';
import { RefundService } from '../../../shared/payments/refund-service';
import { StripeEventLog } from '../../../shared/payments/stripe-event-log';
import { StripePaymentGateway } from '../../../shared/payments/stripe-payment-gateway';
import type { MessagePublisher, OutgoingMessage } from '../../../shared/pubsub/message-publisher';
import { UserNotificationOutbox } from '../../../shared/notifications/user-notification';
import { OutboxRelay } from '../../../shared/pubsub/outbox-relay';
import { OutboxRepository } from '../../../shared/pubsub/outbox-repository';
import { SalesLedger } from '../../../shared/sales/sales-ledger';
import { confirmLikePaymentSheet } from '../../../local/stripe/payment-sheet';
import { bookOrFail } from '../../functions/booking-fixtures';
import { createEventAs } from '../../support/events';
import { adminFirestore } from '../../support/firestore-admin';
import { createCompanyAdmin, createRegisteredUser } from '../../support/roles';

/** The secret the tests sign their webhook payloads with. */
export const WEBHOOK_SECRET = 'whsec_payments_test';

/** A publisher that records what it publishes, or fails while `down` is set (a Pub/Sub outage). */
export class RecordingPublisher implements MessagePublisher {
  readonly published: OutgoingMessage[] = [];
  down = false;

  async publish(message: OutgoingMessage): Promise<void> {
    if (this.down) throw new Error('Pub/Sub is unavailable');
    this.published.push(message);
  }
}

/** The payment services over the integration Firestore and a Stripe sandbox of their own. */
export interface PaymentHarness {
  readonly sandbox: RunningStripeSandbox;
  readonly stripe: Stripe;
  /** The gateway the services use, for tests that wrap it. */
  readonly gateway: StripePaymentGateway;
  readonly payments: PaymentService;
  readonly webhooks: PaymentWebhookService;
  readonly refunds: RefundService;
  readonly relay: OutboxRelay;
  readonly publisher: RecordingPublisher;
}

/** Starts a sandbox on a free port and wires the services to it; `clock` lets a test move time. */
export async function startPaymentHarness(clock: Clock = systemClock): Promise<PaymentHarness> {
  const sandbox = await startStripeSandbox({ port: 0 });
  const db = adminFirestore();
  const stripeOptions = { host: '127.0.0.1', port: sandbox.port, protocol: 'http' } as const;
  const gateway = new StripePaymentGateway({
    secretKey: 'sk_test_payments',
    webhookSecret: WEBHOOK_SECRET,
    apiHost: stripeOptions.host,
    apiPort: stripeOptions.port,
    apiProtocol: stripeOptions.protocol,
  });
  const publisher = new RecordingPublisher();
  const outbox = new OutboxRepository(db);
  const relay = new OutboxRelay(outbox, publisher, clock);
  const dependencies = paymentDependencies(db, gateway, clock);
  return {
    sandbox,
    gateway,
    stripe: new Stripe('sk_test_payments', stripeOptions),
    publisher,
    relay,
    refunds: new RefundService(dependencies),
    payments: new PaymentService(dependencies),
    webhooks: new PaymentWebhookService({
      ...dependencies,
      holds: new UserHoldRepository(db),
      inventory: new FirestoreInventoryStore(db),
      events: new StripeEventLog(db),
      outbox,
      relay,
      notifications: new UserNotificationOutbox(outbox),
      sales: new SalesLedger(db),
    }),
  };
}

/** A signed webhook delivery of an event about `objectId` (a PaymentIntent or a charge). */
export function signedEvent(
  stripe: Stripe,
  type: string,
  object: { id: string; object: 'payment_intent' | 'charge'; payment_intent?: string },
  eventId = `evt_${Math.random().toString(36).slice(2)}`,
  timestamp?: number,
): { rawBody: Buffer; signature: string; eventId: string } {
  const payload = JSON.stringify({ id: eventId, object: 'event', type, data: { object } });
  const signature = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: WEBHOOK_SECRET,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  return { rawBody: Buffer.from(payload), signature, eventId };
}

/** Delivers a signed `type` event about the PaymentIntent to the webhook service. */
export function deliver(harness: PaymentHarness, type: string, paymentIntentId: string, eventId?: string) {
  const event = signedEvent(harness.stripe, type, { id: paymentIntentId, object: 'payment_intent' }, eventId);
  return harness.webhooks.handle(event.rawBody, event.signature);
}

/** A stored document's data, failing the test when it does not exist. */
export async function stored(collection: string, id: string): Promise<Record<string, unknown>> {
  const data = (await adminFirestore().collection(collection).doc(id).get()).data();
  if (data === undefined) throw new Error(`${collection}/${id} does not exist`);
  return data;
}

/**
 * A booking of `quantity` tickets paid through the real webhook: booked over HTTP, paid on the sandbox, its
 * `payment_intent.succeeded` applied by the harness (whose publisher only records `payment-confirmed`).
 */
export async function paidThroughWebhook(harness: PaymentHarness, quantity = 2) {
  const admin = await createCompanyAdmin();
  const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10 });
  const user = await createRegisteredUser();
  const booking = await bookOrFail(user, event.id, quantity);
  const { payment } = await harness.payments.pay(user.uid, booking.id);
  await confirmLikePaymentSheet({ sandboxUrl: harness.sandbox.url, clientSecret: payment.clientSecret });
  await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
  return { event, user, booking, payment };
}
