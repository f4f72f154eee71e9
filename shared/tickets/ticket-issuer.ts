import { FieldValue, type Firestore } from 'firebase-admin/firestore';
import { BOOKINGS_COLLECTION, type BookingRepository } from '../bookings/booking-repository';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { systemClock, type Clock } from '../time/clock';
import { logger } from '../logging/logger';
import type { UserNotificationOutbox } from '../notifications/user-notification';
import type { PaymentConfirmed } from '../payments/payment-confirmed';
import type { OutboxRelay } from '../pubsub/outbox-relay';
import type { OutboxRecord } from '../pubsub/outbox-repository';
import { newTickets } from './ticket-codes';
import type { TicketRepository } from './ticket-repository';
import type { TicketSigner } from './ticket-signing';
import { TICKETS_DUE_FIELD } from './tickets-due';

/**
 * Issues the tickets of confirmed bookings. Pub/Sub push delivers at least once, so issuing reads the
 * booking in a transaction and does nothing when its tickets exist: one set of tickets per booking however
 * often the message arrives, even when two deliveries run at once. Each ticket is signed (its `qr`) and
 * gets its door record (`tickets/{codeHash}`) in the same transaction, as does the owner's `tickets.issued`
 * notification.
 */
export class TicketIssuer {
  constructor(
    private readonly db: Firestore,
    private readonly bookings: BookingRepository,
    private readonly tickets: TicketRepository,
    private readonly signer: TicketSigner,
    private readonly notifications: UserNotificationOutbox,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Issues the booking's tickets if it is confirmed and has none; either way the booking stops waiting for
   * tickets (a refunded booking never gets any). Returns how many tickets this call issued.
   */
  async issue(message: Pick<PaymentConfirmed, 'bookingId'>): Promise<number> {
    const { issued, notice } = await runTransactionWithRetry(this.db, async (tx) => {
      const none = { issued: 0, notice: undefined };
      const booking = await this.bookings.getIn(tx, message.bookingId);
      if (booking === undefined) return none;
      const ref = this.db.collection(BOOKINGS_COLLECTION).doc(booking.id);
      // Refunded bookings lose their tickets; a late redelivery must not bring them back.
      if (booking.status !== 'confirmed' || (booking.tickets?.length ?? 0) > 0) {
        tx.update(ref, { [TICKETS_DUE_FIELD]: FieldValue.delete() });
        return none;
      }
      const tickets = newTickets(
        booking.quantity,
        () => this.db.collection(BOOKINGS_COLLECTION).doc().id,
      ).map((ticket) => ({ ...ticket, qr: this.signer.qr(ticket.id, booking.eventId) }));
      tx.update(ref, { tickets, [TICKETS_DUE_FIELD]: FieldValue.delete() });
      this.tickets.createAll(tx, booking, tickets);
      const record: OutboxRecord = this.notifications.add(
        tx,
        {
          userId: booking.userId,
          type: 'tickets.issued',
          eventId: booking.eventId,
          bookingId: booking.id,
          changeKey: booking.id,
          data: { quantity: tickets.length },
        },
        this.clock.now(),
      );
      return { issued: tickets.length, notice: record };
    });
    if (notice !== undefined) await this.relay.relay(notice);
    logger.info('tickets issued', { bookingId: message.bookingId, issued, kid: this.signer.kid });
    return issued;
  }
}
