import type { Transaction } from 'firebase-admin/firestore';
import { toBookingResponse, type Booking, type BookingResponse } from '../bookings/booking';
import { bookingEvent } from '../bookings/booking-events';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { ConflictError, NotFoundError } from '../errors/domain-errors';
import { hasStarted } from '../events/event-rules';
import { logDomainEvents, type DomainEvent } from '../logging/domain-events';
import { movePayment } from './payment-audit';
import type { PaymentDependencies } from './payment-dependencies';
import { canMovePayment, refundIdempotencyKey } from './payment';

/**
 * Refunds confirmed bookings on their owner's request. Stripe is asked first, under the payment's refund
 * key, and the booking moves to `refund_pending` afterwards: if Stripe fails nothing has changed and the
 * owner may simply retry, and raced requests refund once. `charge.refunded` later completes the booking
 * (`refunded`, tickets back on sale), also when the second step never ran.
 */
export class RefundService {
  constructor(private readonly deps: PaymentDependencies) {}

  /**
   * @throws NotFoundError for someone else's booking; ConflictError `invalid-state` unless it is confirmed
   * and paid, `event-started` once its event has begun (refunds after that are the organizer's, through
   * the Stripe dashboard)
   */
  async refundBooking(userId: string, bookingId: string): Promise<{ booking: BookingResponse }> {
    const paid = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const [booking, fields] = await Promise.all([
        this.deps.bookings.getIn(tx, bookingId),
        this.deps.bookingPayments.getIn(tx, bookingId),
      ]);
      if (booking === undefined || booking.userId !== userId)
        throw new NotFoundError('No booking with this id.');
      const payment =
        fields.paidByPaymentId === undefined
          ? undefined
          : await this.deps.payments.getIn(tx, fields.paidByPaymentId);
      if (booking.status !== 'confirmed' || payment?.stripePaymentIntentId === undefined) {
        throw new ConflictError(
          'invalid-state',
          `Only a confirmed, paid booking can be refunded; this one is ${booking.status}.`,
        );
      }
      await this.assertNotAtTheDoorYet(tx, booking);
      return { paymentId: payment.id, paymentIntentId: payment.stripePaymentIntentId };
    });
    await this.deps.gateway.refundPaymentIntent(paid.paymentIntentId, refundIdempotencyKey(paid.paymentId));
    const { response, events } = await runTransactionWithRetry(this.deps.db, async (tx) => {
      const [booking, payment] = await Promise.all([
        this.deps.bookings.getIn(tx, bookingId),
        this.deps.payments.getIn(tx, paid.paymentId),
      ]);
      if (booking === undefined) throw new NotFoundError('No booking with this id.');
      const now = this.deps.clock.now();
      // The refund's webhook may have completed the booking already; then it is answered as it stands.
      if (booking.status !== 'confirmed')
        return { response: { booking: toBookingResponse(booking, now) }, events: [] };
      this.deps.bookings.changeStatus(tx, booking.id, 'refund_pending', now);
      this.deps.tickets.voidAll(tx, booking);
      const changes: DomainEvent[] = [bookingEvent('booking.refund_requested', booking, paid.paymentId)];
      if (payment !== undefined && canMovePayment(payment.status, 'refund_pending')) {
        const actor = { kind: 'user', uid: userId } as const;
        changes.push(movePayment(this.deps, tx, { payment, booking, to: 'refund_pending' }, actor, now));
      }
      const refunding = toBookingResponse({ ...booking, status: 'refund_pending', updatedAt: now }, now);
      return { response: { booking: refunding }, events: changes };
    });
    logDomainEvents(events);
    return response;
  }

  /**
   * A booking is refundable only before its event starts and while none of its tickets is checked in:
   * nobody gets their money back for a seat they used. A check-in racing the refund between this check and
   * the status change is possible in principle (Stripe is called in between), docs/check-in.md.
   */
  private async assertNotAtTheDoorYet(tx: Transaction, booking: Booking): Promise<void> {
    const [event, states] = await Promise.all([
      this.deps.eventRepository.getIn(tx, booking.eventId),
      this.deps.tickets.statesOf(
        (booking.tickets ?? []).map((ticket) => ticket.code),
        tx,
      ),
    ]);
    if (event !== undefined && hasStarted(event, this.deps.clock.now())) {
      throw new ConflictError(
        'event-started',
        'The event has started; its bookings can no longer be refunded.',
      );
    }
    const checkedIn = [...states.values()].find((state) => state.status === 'checked_in');
    if (checkedIn?.checkedInAt !== undefined) {
      const checkedInAt = checkedIn.checkedInAt.toISOString();
      throw new ConflictError(
        'already-checked-in',
        `A ticket of this booking was checked in at ${checkedInAt}; it can no longer be refunded.`,
        { checkedInAt },
      );
    }
  }
}
