import { confirmLikePaymentSheet } from '../../local/stripe/payment-sheet';
import { createEventAs } from '../support/events';
import { apiClient, expectData } from '../support/api-client';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import { deliver, startPaymentHarness, type PaymentHarness } from '../shared/payments/payment-fixtures';
import { bookOrFail } from './booking-fixtures';
import { pushPaymentConfirmed } from './check-in-fixtures';

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await startPaymentHarness();
});

afterAll(async () => {
  await harness.sandbox.stop();
});

const push = pushPaymentConfirmed;

describe('issueTickets (payment-confirmed subscriber)', () => {
  it('issues one ticket per seat once, however often the message is delivered', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 10 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 3);
    const { payment } = await harness.payments.pay(user.uid, booking.id);
    await confirmLikePaymentSheet({ sandboxUrl: harness.sandbox.url, clientSecret: payment.clientSecret });
    await deliver(harness, 'payment_intent.succeeded', payment.stripePaymentIntentId);
    const message = harness.publisher.published.find(({ orderingKey }) => orderingKey === booking.id);
    if (message === undefined) throw new Error('no payment-confirmed message was published');

    const deliveries = await Promise.all([
      push(message.data, '1'),
      push(message.data, '1'),
      push(message.data, '1'),
    ]);
    expect(deliveries.map(({ status }) => status)).toEqual([204, 204, 204]);
    const read = async () =>
      expectData(
        await apiClient(user.idToken).GET('/getBooking', { params: { query: { id: booking.id } } }),
        200,
      ).booking;
    const confirmed = await read();
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.tickets).toHaveLength(3);
    const codes = new Set(confirmed.tickets?.map((ticket) => ticket.code));
    expect(codes.size).toBe(3);
    expect((await push(message.data, '2')).status).toBe(204);
    expect((await read()).tickets).toEqual(confirmed.tickets);
  });

  it('refuses a malformed message so that Pub/Sub retries and finally dead-letters it', async () => {
    const response = await push(JSON.stringify({ bookingId: 'x' }), '3');
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});
