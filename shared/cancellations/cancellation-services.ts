import type { Firestore } from 'firebase-admin/firestore';
import { AuditLog } from '../audit/audit-log';
import { BookingRepository } from '../bookings/booking-repository';
import { sweptHoldReleaseService } from '../bookings/swept-booking-services';
import type { Clock } from '../time/clock';
import { systemClock } from '../time/clock';
import { getConfig } from '../config/config';
import { EventRepository } from '../events/event-repository';
import { firestore } from '../firebase/firestore';
import { inventoryStore } from '../inventory/inventory-store-factory';
import { UserNotificationOutbox } from '../notifications/user-notification';
import { BookingPaymentFieldsRepository } from '../payments/booking-payment-fields';
import type { PaymentGateway } from '../payments/payment-gateway';
import { paymentGateway } from '../payments/payment-gateway-factory';
import { PaymentRepository } from '../payments/payment-repository';
import { OutboxRepository } from '../pubsub/outbox-repository';
import { TicketRepository } from '../tickets/ticket-repository';
import { BookingSettlement } from './booking-settlement';
import { CancellationJobRepository } from './cancellation-job-repository';
import {
  EventCancellationWorker,
  settleBookingsStep,
  type CancellationWorkerSettings,
} from './cancellation-worker';
import { RefundQueue } from './refund-queue';
import { cancelWaitlistStep } from './waitlist-step';
import { sweptWaitlistService } from '../waitlist/swept-waitlist-services';

/** 429s one refund may meet in a row within a run (backing off up to 8 s each) before the next run takes it. */
const MAX_RATE_LIMIT_RETRIES = 8;

/**
 * The worker over one Firestore client, with the given gateway, clock and settings. The per-event steps are
 * listed here in order: settling the bookings first (an offered waitlist entry's booking is one of them),
 * then the waitlist's entries.
 */
export function createCancellationWorker(
  db: Firestore,
  gateway: PaymentGateway,
  clock: Clock,
  settings: CancellationWorkerSettings,
): EventCancellationWorker {
  const bookings = new BookingRepository(db);
  const refunds = new RefundQueue(db);
  const notifications = new UserNotificationOutbox(new OutboxRepository(db));
  const settlement = new BookingSettlement({
    db,
    bookings,
    bookingPayments: new BookingPaymentFieldsRepository(db),
    payments: new PaymentRepository(db),
    tickets: new TicketRepository(db),
    inventory: inventoryStore(),
    holdRelease: sweptHoldReleaseService(),
    notifications,
    refunds,
    audit: new AuditLog(db),
    clock,
  });
  return new EventCancellationWorker({
    jobs: new CancellationJobRepository(db),
    events: new EventRepository(db),
    refunds,
    gateway,
    clock,
    settings,
    steps: (counts) => [
      settleBookingsStep(bookings, settlement, counts, clock),
      cancelWaitlistStep(db, sweptWaitlistService(), notifications, clock),
    ],
  });
}

let worker: EventCancellationWorker | undefined;

/** The cancellation worker wired to Firestore, Stripe and the configuration, built on first use. */
export function cancellationWorker(): EventCancellationWorker {
  const { refundsPerSecond, runSeconds } = getConfig().cancellation;
  worker ??= createCancellationWorker(firestore(), paymentGateway(), systemClock, {
    refundsPerSecond,
    runMs: runSeconds * 1000,
    maxRateLimitRetries: MAX_RATE_LIMIT_RETRIES,
  });
  return worker;
}
