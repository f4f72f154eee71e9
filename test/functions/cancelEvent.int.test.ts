import { apiClient, expectData } from '../support/api-client';
import { createEventAs, moveStartToPast, uniqueWord } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type CompanyAdmin } from '../support/roles';
import { sandboxControl, sandboxStripe } from '../support/stripe-sandbox';
import {
  bookOrFail,
  bookingWhen,
  payAndConfirm,
  payOrFail,
  problemType,
  stripeSandboxUrl,
  type ProblemJson,
} from './booking-fixtures';
import { join, joinOrFail, myEntries, soldOutEvent } from './waitlist-fixtures';

function cancel(admin: CompanyAdmin, body: { id: string; version: number; reason: string }) {
  return apiClient(admin.idToken).POST('/cancelEvent', { body });
}

/** Runs the cancellation worker (Cloud Scheduler's call) until it reports nothing left to do. */
async function runWorkerUntilIdle(): Promise<void> {
  for (let run = 0; run < 20; run += 1) {
    const answer = await callFunction<{ bookingsSettled: Record<string, number>; refundsRequested: number }>(
      'runEventCancellations',
      { method: 'POST' },
    );
    expect(answer.status).toBe(200);
    const settled = Object.entries(answer.body.bookingsSettled)
      .filter(([outcome]) => outcome !== 'unchanged')
      .reduce((sum, [, count]) => sum + count, 0);
    if (settled === 0 && answer.body.refundsRequested === 0) return;
  }
  throw new Error('the cancellation worker never ran out of work');
}

async function notificationsOf(eventId: string): Promise<{ userId: string; notificationId: string }[]> {
  const records = await adminFirestore()
    .collection('outbox')
    .where('topic', '==', 'user-notifications')
    .get();
  return records.docs
    .map(
      (doc) =>
        JSON.parse(doc.get('data') as string) as {
          userId: string;
          notificationId: string;
          eventId: string;
          type: string;
        },
    )
    .filter((message) => message.eventId === eventId && message.type === 'event.cancelled');
}

describe('POST /cancelEvent', () => {
  it('cancels the event: version + 1, status, when and why; getEvent shows it, search hides it, the audit log keeps who and why', async () => {
    const admin = await createCompanyAdmin();
    const word = uniqueWord();
    const event = await createEventAs(admin, { name: `Gala ${word}` });
    const answer = expectData(
      await cancel(admin, { id: event.id, version: event.version, reason: '  Venue flooded ' }),
      200,
    );
    expect(answer.event).toMatchObject({
      id: event.id,
      version: event.version + 1,
      status: 'cancelled',
      cancellationReason: 'Venue flooded',
      availableTickets: 0,
    });
    expect(Date.parse(answer.event.cancelledAt ?? '')).toBeGreaterThan(Date.parse(event.createdAt));

    const buyer = await createRegisteredUser();
    const read = expectData(
      await apiClient(buyer.idToken).GET('/getEvent', { params: { query: { id: event.id } } }),
      200,
    );
    expect(read.event).toEqual(answer.event);
    const found = expectData(
      await apiClient(buyer.idToken).GET('/searchEvents', { params: { query: { q: word } } }),
      200,
    );
    expect(found.events.map((found) => found.id)).not.toContain(event.id);

    const audit = await adminFirestore()
      .collection('auditLog')
      .where('target.eventId', '==', event.id)
      .where('action', '==', 'event.cancelled')
      .get();
    expect(audit.docs.map((doc) => doc.data())).toEqual([
      expect.objectContaining({
        actor: { kind: 'admin', uid: admin.uid, companyId: admin.companyId },
        details: { version: event.version + 1, reason: 'Venue flooded' },
      }),
    ]);
  });

  it('refuses a stale version, a second cancellation, a started event, another company and bad input, changing nothing', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const stale = await cancel(admin, { id: event.id, version: event.version + 1, reason: 'x' });
    expect(stale.response.status).toBe(409);
    expect((stale.error as ProblemJson).type).toBe(problemType('stale-version'));

    const other = await createCompanyAdmin();
    expect((await cancel(other, { id: event.id, version: event.version, reason: 'x' })).response.status).toBe(
      404,
    );
    const blank = await callFunction('cancelEvent', {
      method: 'POST',
      token: admin.idToken,
      body: { id: event.id, version: event.version, reason: '   ' },
    });
    expect(blank.status).toBe(400);
    const unknownField = await callFunction('cancelEvent', {
      method: 'POST',
      token: admin.idToken,
      body: { id: event.id, version: event.version, reason: 'x', status: 'scheduled' },
    });
    expect(unknownField.status).toBe(400);
    const buyer = await createRegisteredUser();
    const asUser = await callFunction('cancelEvent', {
      method: 'POST',
      token: buyer.idToken,
      body: { id: event.id, version: event.version, reason: 'x' },
    });
    expect(asUser.status).toBe(403);
    const unchanged = expectData(
      await apiClient(buyer.idToken).GET('/getEvent', { params: { query: { id: event.id } } }),
      200,
    );
    expect(unchanged.event).toMatchObject({ status: 'scheduled', version: event.version });

    expectData(await cancel(admin, { id: event.id, version: event.version, reason: 'x' }), 200);
    const again = await cancel(admin, { id: event.id, version: event.version + 1, reason: 'x' });
    expect(again.response.status).toBe(409);
    expect((again.error as ProblemJson).type).toBe(problemType('event-cancelled'));

    const started = await createEventAs(admin);
    await moveStartToPast(started.id, new Date(Date.now() - 60_000));
    const late = await cancel(admin, { id: started.id, version: started.version, reason: 'x' });
    expect(late.response.status).toBe(409);
    expect((late.error as ProblemJson).type).toBe(problemType('event-started'));
  });

  it('then refuses book, pay and updateEvent with event-cancelled', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const buyer = await createRegisteredUser();
    const held = await bookOrFail(buyer, event.id, 1);
    expectData(await cancel(admin, { id: event.id, version: event.version, reason: 'Storm' }), 200);

    const booking = await apiClient(buyer.idToken).POST('/book', {
      body: { eventId: event.id, quantity: 1 },
    });
    expect(booking.response.status).toBe(409);
    expect((booking.error as ProblemJson).type).toBe(problemType('event-cancelled'));
    const payment = await apiClient(buyer.idToken).POST('/pay', { body: { bookingId: held.id } });
    expect(payment.response.status).toBe(409);
    expect((payment.error as ProblemJson).type).toBe(problemType('event-cancelled'));
    const update = await apiClient(admin.idToken).POST('/updateEvent', {
      body: { id: event.id, version: event.version + 1, name: 'Renamed' },
    });
    expect(update.response.status).toBe(409);
    expect((update.error as ProblemJson).type).toBe(problemType('event-cancelled'));
  });

  it('cancels the waitlist: entries cancelled, each waiting user told once, joining refused', async () => {
    const { admin, event, holder } = await soldOutEvent([2]);
    const waiting = await createRegisteredUser();
    await joinOrFail(waiting, event.id, 1);
    expectData(await cancel(admin, { id: event.id, version: event.version, reason: 'Flood' }), 200);

    await runWorkerUntilIdle();

    expect(await myEntries(waiting)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    const told = await notificationsOf(event.id);
    expect(new Set(told.map((message) => message.userId))).toEqual(new Set([holder.uid, waiting.uid]));
    expect(new Set(told.map((message) => message.notificationId)).size).toBe(2);
    const late = await join(await createRegisteredUser(), event.id, 1);
    expect(late.response.status).toBe(409);
    expect((late.error as ProblemJson).type).toBe(problemType('event-cancelled'));
  }, 60_000);

  it('settles every booking in the background: holds cancelled, paid ones refunded once, tickets void, one notification per user, sales progress to refunded', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 20, surgeThreshold: 20 });
    const payer = await createRegisteredUser();
    const holder = await createRegisteredUser();
    const paidOnce = await bookOrFail(payer, event.id, 2);
    const paidTwice = await bookOrFail(payer, event.id, 1);
    await payAndConfirm(payer, paidOnce.id);
    await payAndConfirm(payer, paidTwice.id);
    const held = await bookOrFail(holder, event.id, 3);
    const sold = expectData(
      await apiClient(admin.idToken).GET('/eventSales', { params: { query: { id: event.id } } }),
      200,
    );
    expect(sold).toMatchObject({ held: 3, sold: 3, refunded: 0, refundFailed: 0 });

    expectData(await cancel(admin, { id: event.id, version: event.version, reason: 'Storm' }), 200);
    await runWorkerUntilIdle();

    expect((await bookingWhen(holder, held.id, (b) => b.status === 'cancelled')).status).toBe('cancelled');
    for (const booking of [paidOnce, paidTwice]) {
      const refunded = await bookingWhen(payer, booking.id, (b) => b.status === 'refunded');
      expect(refunded.tickets?.map((ticket) => ticket.status)).toEqual(
        Array.from({ length: booking.quantity }, () => 'void'),
      );
    }
    const stripe = sandboxStripe(stripeSandboxUrl());
    for (const booking of [paidOnce, paidTwice]) {
      const payments = await adminFirestore()
        .collection('payments')
        .where('bookingId', '==', booking.id)
        .get();
      const intentId = payments.docs[0]?.get('stripePaymentIntentId') as string;
      const intent = await stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] });
      const charge = intent.latest_charge as { amount_refunded: number; refunds?: { data: unknown[] } };
      expect(charge.amount_refunded).toBe(intent.amount_received);
    }
    const after = expectData(
      await apiClient(admin.idToken).GET('/eventSales', { params: { query: { id: event.id } } }),
      200,
    );
    expect(after).toMatchObject({ held: 0, sold: 0, refunded: 3, refundFailed: 0 });

    const notified = await notificationsOf(event.id);
    expect(new Set(notified.map((message) => message.userId))).toEqual(new Set([payer.uid, holder.uid]));
    expect(new Set(notified.map((message) => message.notificationId)).size).toBe(2);
    const job = await adminFirestore().collection('eventCancellations').doc(event.id).get();
    expect(job.get('state')).toBe('done');
  });

  it('leaves a booking whose refund Stripe fails refund_failed, counted in refundFailed, never refund_pending', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const buyer = await createRegisteredUser();
    const disputed = await bookOrFail(buyer, event.id, 2);
    await payAndConfirm(buyer, disputed.id);
    const payments = await adminFirestore()
      .collection('payments')
      .where('bookingId', '==', disputed.id)
      .get();
    const intentId = payments.docs[0]?.get('stripePaymentIntentId') as string;
    await sandboxControl(stripeSandboxUrl()).alter(intentId, { refunds_fail: true });

    expectData(await cancel(admin, { id: event.id, version: event.version, reason: 'Storm' }), 200);
    await runWorkerUntilIdle();

    const failed = await bookingWhen(buyer, disputed.id, (b) => b.status === 'refund_failed');
    expect(failed.tickets?.every((ticket) => ticket.status === 'void')).toBe(true);
    const sales = expectData(
      await apiClient(admin.idToken).GET('/eventSales', { params: { query: { id: event.id } } }),
      200,
    );
    expect(sales).toMatchObject({ sold: 0, refunded: 0, refundFailed: 2 });
    expect(sales.revenue.total).toBe(disputed.total);
  });

  it('refunds a payment that succeeds after the cancellation instead of confirming it', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const buyer = await createRegisteredUser();
    const held = await bookOrFail(buyer, event.id, 1);
    const payment = await payOrFail(buyer, held.id);
    expectData(await cancel(admin, { id: event.id, version: event.version, reason: 'Storm' }), 200);
    const stripe = sandboxStripe(stripeSandboxUrl());
    await stripe.paymentIntents.confirm(payment.stripePaymentIntentId, { payment_method: 'pm_card_visa' });
    await runWorkerUntilIdle();

    const ended = await bookingWhen(buyer, held.id, (b) => b.status === 'cancelled');
    expect(ended.status).toBe('cancelled');
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const intent = await stripe.paymentIntents.retrieve(payment.stripePaymentIntentId, {
        expand: ['latest_charge'],
      });
      const charge = intent.latest_charge as { amount_refunded: number } | null;
      if (charge !== null && charge.amount_refunded === intent.amount_received) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the payment on the cancelled event was never refunded');
  });
});
