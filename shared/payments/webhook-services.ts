import { UserHoldRepository } from '../bookings/user-hold-repository';
import { firestore } from '../firebase/firestore';
import { inventoryStore } from '../inventory/inventory-store-factory';
import { outboxRelay } from '../pubsub/outbox-services';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { UserNotificationOutbox } from '../notifications/user-notification';
import { SalesLedger } from '../sales/sales-ledger';
import { productionPaymentDependencies } from './payment-dependencies';
import { PaymentWebhookService } from './payment-webhook-service';
import { StripeEventLog } from './stripe-event-log';
import { settleOffer } from '../waitlist/waitlist-hooks';
import { WaitlistRepository } from '../waitlist/waitlist-repository';

let webhooks: PaymentWebhookService | undefined;

/** The Stripe webhook service wired to Firestore, Stripe and Pub/Sub, built on first use. */
export function paymentWebhookService(): PaymentWebhookService {
  webhooks ??= new PaymentWebhookService({
    ...productionPaymentDependencies(),
    holds: new UserHoldRepository(firestore()),
    inventory: inventoryStore(),
    events: new StripeEventLog(firestore()),
    outbox: new OutboxRepository(firestore()),
    relay: outboxRelay(),
    notifications: new UserNotificationOutbox(new OutboxRepository(firestore())),
    sales: new SalesLedger(firestore()),
    waitlist: {
      settleOffer: (tx, booking, outcome, now) =>
        settleOffer(new WaitlistRepository(firestore()), tx, booking, outcome, now),
    },
  });
  return webhooks;
}
