import { AuditLog } from '../audit/audit-log';
import { BookingRepository } from '../bookings/booking-repository';
import { systemClock } from '../bookings/clock';
import { UserHoldRepository } from '../bookings/user-hold-repository';
import { firestore } from '../firebase/firestore';
import { inventoryStore } from '../inventory/inventory-store-factory';
import { outboxRelay } from '../pubsub/outbox-services';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { SalesLedger } from '../sales/sales-ledger';
import { BookingPaymentFieldsRepository } from './booking-payment-fields';
import { paymentGateway } from './payment-gateway-factory';
import { PaymentRepository } from './payment-repository';
import { PaymentWebhookService } from './payment-webhook-service';
import { StripeEventLog } from './stripe-event-log';

let webhooks: PaymentWebhookService | undefined;

/** The Stripe webhook service wired to Firestore, Stripe and Pub/Sub, built on first use. */
export function paymentWebhookService(): PaymentWebhookService {
  webhooks ??= new PaymentWebhookService({
    db: firestore(),
    bookings: new BookingRepository(firestore()),
    bookingPayments: new BookingPaymentFieldsRepository(firestore()),
    holds: new UserHoldRepository(firestore()),
    inventory: inventoryStore(),
    payments: new PaymentRepository(firestore()),
    events: new StripeEventLog(firestore()),
    outbox: new OutboxRepository(firestore()),
    relay: outboxRelay(),
    audit: new AuditLog(firestore()),
    sales: new SalesLedger(firestore()),
    gateway: paymentGateway(),
    clock: systemClock,
  });
  return webhooks;
}
