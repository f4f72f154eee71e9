import { systemClock } from '../../../shared/time/clock';
import { UserNotificationOutbox } from '../../../shared/notifications/user-notification';
import { OutboxRelay } from '../../../shared/pubsub/outbox-relay';
import { OutboxRepository } from '../../../shared/pubsub/outbox-repository';
import { RecordingPublisher } from '../payments/payment-fixtures';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { BookingRepository } from '../../../shared/bookings/booking-repository';
import { logger } from '../../../shared/logging/logger';
import { TicketIssuer } from '../../../shared/tickets/ticket-issuer';
import { TicketRepository } from '../../../shared/tickets/ticket-repository';
import { generateTicketKey, TicketSigner } from '../../../shared/tickets/ticket-signing';
import { OVERDUE_TICKETS_ALERT, TicketReconciler } from '../../../shared/tickets/ticket-reconciliation';
import { TICKETS_DUE_FIELD, TicketsDueRepository } from '../../../shared/tickets/tickets-due';
import { adminFirestore } from '../../support/firestore-admin';
import { callFunction } from '../../support/http-client';
import {
  deliver,
  paidThroughWebhook,
  startPaymentHarness,
  stored,
  type PaymentHarness,
} from '../payments/payment-fixtures';

let harness: PaymentHarness;
const signingKey = generateTicketKey('reconciliation-test');

beforeAll(async () => {
  harness = await startPaymentHarness();
});

afterAll(async () => {
  await harness.sandbox.stop();
});

afterEach(() => jest.restoreAllMocks());

const OVERDUE_AFTER_MINUTES = 10;

/**
 * Each test lives on a day of its own in 2001, so that a reconciliation run at that day's 00:30 sees only
 * the bookings the test moved to that day (every real booking waits since this year). The days decrease
 * from test to test: a booking a test leaves waiting is later than any later test's cutoff.
 */
function dayOf2001(day: number, minutes: number): Date {
  return new Date(Date.UTC(2001, 0, day, 0, minutes));
}

/** An issuer signing with a key of this test file, as the functions sign with the deployment's. */
function ticketIssuer(db: Firestore): TicketIssuer {
  return new TicketIssuer(
    db,
    new BookingRepository(db),
    new TicketRepository(db),
    new TicketSigner(signingKey.privateKey),
    new UserNotificationOutbox(new OutboxRepository(db)),
    new OutboxRelay(new OutboxRepository(db), new RecordingPublisher(), systemClock),
  );
}

function reconcilerOn(day: number): TicketReconciler {
  const db = adminFirestore();
  return new TicketReconciler(
    new TicketsDueRepository(db),
    ticketIssuer(db),
    { now: () => dayOf2001(day, 30) },
    OVERDUE_AFTER_MINUTES,
  );
}

/**
 * A booking paid through the real webhook whose `payment-confirmed` message never reached issueTickets
 * (the harness's publisher only records it): the dead-letter case.
 */
async function paidBookingWithoutTickets(quantity = 2) {
  const { booking, payment } = await paidThroughWebhook(harness, quantity);
  return { booking, payment };
}

/** Pretends the booking was confirmed at `when`, as if it had waited since then. */
async function waitingSince(bookingId: string, when: Date): Promise<void> {
  await adminFirestore()
    .collection('bookings')
    .doc(bookingId)
    .update({ [TICKETS_DUE_FIELD]: Timestamp.fromDate(when) });
}

describe('TicketReconciler', () => {
  it('issues the tickets of a paid booking left without them, once, with an error line an alert matches', async () => {
    const { booking } = await paidBookingWithoutTickets(3);
    const confirmed = await stored('bookings', booking.id);
    expect(confirmed).toMatchObject({ status: 'confirmed' });
    expect(confirmed['tickets']).toBeUndefined();
    expect(confirmed[TICKETS_DUE_FIELD]).toBeInstanceOf(Timestamp);
    await waitingSince(booking.id, dayOf2001(9, 0));
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

    expect(await reconcilerOn(9).reconcile()).toEqual({ overdue: 1, issued: 1, settled: 0, failed: 0 });

    const issued = await stored('bookings', booking.id);
    expect(issued['tickets']).toHaveLength(3);
    expect(issued[TICKETS_DUE_FIELD]).toBeUndefined();
    expect(error).toHaveBeenCalledWith('paid booking without tickets: the reconciliation issued them', {
      alert: OVERDUE_TICKETS_ALERT,
      bookingId: booking.id,
      ticketsDueSince: dayOf2001(9, 0).toISOString(),
      waitedMinutes: 30,
      issued: 3,
    });
    expect(await reconcilerOn(9).reconcile()).toEqual({ overdue: 0, issued: 0, settled: 0, failed: 0 });
    expect((await stored('bookings', booking.id))['tickets']).toEqual(issued['tickets']);
  });

  it('leaves a booking that has not waited long enough to issueTickets', async () => {
    const { booking } = await paidBookingWithoutTickets();
    await waitingSince(booking.id, dayOf2001(8, 25));

    expect(await reconcilerOn(8).reconcile()).toEqual({ overdue: 0, issued: 0, settled: 0, failed: 0 });
    expect((await stored('bookings', booking.id))['tickets']).toBeUndefined();
  });

  it('finds nothing once issueTickets has issued the tickets', async () => {
    const { booking } = await paidBookingWithoutTickets();
    await waitingSince(booking.id, dayOf2001(7, 0));
    const db = adminFirestore();
    expect(await ticketIssuer(db).issue({ bookingId: booking.id })).toBe(2);

    expect(await reconcilerOn(7).reconcile()).toEqual({ overdue: 0, issued: 0, settled: 0, failed: 0 });
  });

  it('issues nothing to a booking refunded meanwhile, and stops looking at it without an alert', async () => {
    const { booking, payment } = await paidBookingWithoutTickets();
    await harness.stripe.refunds.create({ payment_intent: payment.stripePaymentIntentId });
    await deliver(harness, 'charge.refunded', payment.stripePaymentIntentId);
    await waitingSince(booking.id, dayOf2001(6, 0));
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

    expect(await reconcilerOn(6).reconcile()).toEqual({ overdue: 1, issued: 0, settled: 1, failed: 0 });
    const refunded = await stored('bookings', booking.id);
    expect(refunded).toMatchObject({ status: 'refunded' });
    expect(refunded['tickets']).toBeUndefined();
    expect(refunded[TICKETS_DUE_FIELD]).toBeUndefined();
    expect(error).not.toHaveBeenCalled();
  });
});

describe('POST /reconcileTickets', () => {
  it('runs one reconciliation and answers its counts', async () => {
    const response = await callFunction<Record<string, number>>('reconcileTickets', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['failed', 'issued', 'overdue', 'settled']);
  });
});
