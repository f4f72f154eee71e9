import type { Transaction } from 'firebase-admin/firestore';
import { toBookingResponse, type Booking, type BookingResponse } from '../bookings/booking';
import { bookingEvent } from '../bookings/booking-events';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { ConflictError, NotFoundError } from '../errors/domain-errors';
import { hasStarted } from '../events/event-rules';
import { logDomainEvents, type DomainEvent } from '../logging/domain-events';
import { logger } from '../logging/logger';
import { movePayment } from './payment-audit';
import type { PaymentDependencies } from './payment-dependencies';
import { canMovePayment, refundIdempotencyKey } from './payment';

/**
 * How long the door refuses a booking's tickets while its refund is requested: longer than the 30 s
 * function timeout (terraform/functions.tf), so the hold outlives any request that placed it, and short
 * enough that tickets of a refund that died with its instance admit again a minute later by themselves.
 */
export const REFUND_HOLD_MS = 60_000;

/**
 * Refunds confirmed bookings on their owner's request. The first transaction checks the booking may be
 * refunded and holds its tickets at the door (check-in refuses them, docs/check-in.md); Stripe is asked
 * next, under the payment's refund key, and the booking moves to `refund_pending` afterwards. If Stripe
 * fails, the hold is lifted, nothing else has changed and the owner may simply retry; raced requests
 * refund once. `charge.refunded` later completes the booking (`refunded`, tickets back on sale), also
 * when the second step never ran.
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
      const records = await this.assertNotAtTheDoorYet(tx, booking);
      this.deps.tickets.holdForRefund(
        tx,
        records,
        new Date(this.deps.clock.now().getTime() + REFUND_HOLD_MS),
      );
      return { paymentId: payment.id, paymentIntentId: payment.stripePaymentIntentId, records };
    });
    try {
      await this.deps.gateway.refundPaymentIntent(paid.paymentIntentId, refundIdempotencyKey(paid.paymentId));
    } catch (error) {
      await this.releaseRefundHold(bookingId, paid.records);
      throw error;
    }
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
   * Lets the door admit the tickets again after Stripe refused or failed the refund. If even that fails,
   * the hold lapses by itself after {@link REFUND_HOLD_MS}; the caller still learns Stripe's error.
   */
  private async releaseRefundHold(bookingId: string, records: readonly string[]): Promise<void> {
    try {
      await runTransactionWithRetry(this.deps.db, async (tx) => {
        this.deps.tickets.releaseRefundHold(tx, records);
      });
    } catch (error) {
      logger.warn('refund hold not lifted; it lapses by itself', { err: error, bookingId });
    }
  }

  /**
   * A booking is refundable only before its event starts and while none of its tickets is checked in:
   * nobody gets their money back for a seat they used. Returns the ids of its ticket records, which the
   * refund then holds at the door, so that no scan admits a ticket between this check and the status change.
   */
  private async assertNotAtTheDoorYet(tx: Transaction, booking: Booking): Promise<string[]> {
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
    return [...states.keys()];
  }
}
