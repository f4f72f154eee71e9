import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import { BOOKINGS_COLLECTION } from '../bookings/booking-repository';
import type { BookingStatus } from '../bookings/booking';
import { storedTimestamp } from '../firebase/stored-timestamp';
import type { ShardTake } from '../inventory/ticket-reservation';
import { TICKETS_DUE_FIELD } from '../tickets/tickets-due';

/** The payment fields the payment flow keeps on `bookings/{id}` beside the booking engine's own. */
export interface BookingPaymentFields {
  /** Attempts allocated so far; the next attempt is this plus one. */
  readonly paymentAttempts: number;
  /** The latest attempt, which `pay` returns while it is still usable. */
  readonly currentPaymentId: string | undefined;
  /** The payment that confirmed the booking; any other successful payment is refunded. */
  readonly paidByPaymentId: string | undefined;
  /** When the booking was confirmed; its sale counts on this UTC day in the sales report. */
  readonly confirmedAt: Date | undefined;
  /** What Stripe has refunded of the paying payment so far and the booking has taken into account. */
  readonly refundedAmount: number;
}

const fieldsSchema = z.object({
  paymentAttempts: z.number().int().default(0),
  currentPaymentId: z.string().optional(),
  paidByPaymentId: z.string().optional(),
  confirmedAt: storedTimestamp.optional(),
  refundedAmount: z.number().int().default(0),
});

/**
 * Reads and writes the payment fields of a booking document. They live on the booking so that allocating an
 * attempt and confirming a booking lock the one document every competing writer also locks.
 */
export class BookingPaymentFieldsRepository {
  constructor(private readonly db: Firestore) {}

  private doc(bookingId: string) {
    return this.db.collection(BOOKINGS_COLLECTION).doc(bookingId);
  }

  async getIn(tx: Transaction, bookingId: string): Promise<BookingPaymentFields> {
    const snapshot = await tx.get(this.doc(bookingId));
    const fields = fieldsSchema.parse(snapshot.data() ?? {});
    return {
      paymentAttempts: fields.paymentAttempts,
      currentPaymentId: fields.currentPaymentId,
      paidByPaymentId: fields.paidByPaymentId,
      confirmedAt: fields.confirmedAt,
      refundedAmount: fields.refundedAmount,
    };
  }

  /** Records a newly allocated attempt. */
  startAttempt(tx: Transaction, bookingId: string, attempt: number, paymentId: string, now: Date): void {
    tx.update(this.doc(bookingId), {
      paymentAttempts: attempt,
      currentPaymentId: paymentId,
      updatedAt: Timestamp.fromDate(now),
    });
  }

  /** Confirms the booking as paid by `paymentId`, with the tickets of `allocation`. */
  confirm(
    tx: Transaction,
    bookingId: string,
    paymentId: string,
    allocation: readonly ShardTake[],
    now: Date,
  ): void {
    tx.update(this.doc(bookingId), {
      status: 'confirmed' satisfies BookingStatus,
      paidByPaymentId: paymentId,
      allocation: allocation.map(({ shardId, pool, quantity }) => ({ shardId, pool, quantity })),
      confirmedAt: Timestamp.fromDate(now),
      // Paid and waiting for tickets until issueTickets, or the reconciliation, issues them.
      [TICKETS_DUE_FIELD]: Timestamp.fromDate(now),
      updatedAt: Timestamp.fromDate(now),
    });
  }

  /** Records a partial refund (`refundedAmount` in total so far); the booking and its tickets stay. */
  markPartlyRefunded(tx: Transaction, bookingId: string, refundedAmount: number, now: Date): void {
    tx.update(this.doc(bookingId), { refundedAmount, updatedAt: Timestamp.fromDate(now) });
  }

  /**
   * Ends a refunded booking. Its tickets stay on it, as the API shows them for the booking's whole life: a
   * booking that is no longer `confirmed` shows them `void` (and their door records are voided with it).
   */
  markRefunded(tx: Transaction, bookingId: string, refundedAmount: number, now: Date): void {
    tx.update(this.doc(bookingId), {
      status: 'refunded' satisfies BookingStatus,
      refundedAmount,
      updatedAt: Timestamp.fromDate(now),
    });
  }
}
