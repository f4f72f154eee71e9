import { FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import { BOOKINGS_COLLECTION } from '../bookings/booking-repository';

/**
 * Field of `bookings/{id}`: since when the booking's refund is owed to Stripe. The transaction that moves a
 * booking of a cancelled event to `refund_pending` sets it, and it is removed once Stripe has accepted the
 * refund, so it exists exactly while a refund request is owed; one single-field range query finds them.
 */
export const REFUND_DUE_FIELD = 'refundDueAt';

/** A refund owed to Stripe: the booking, and the payment and PaymentIntent to refund. */
export interface DueRefund {
  readonly bookingId: string;
  readonly paymentId: string;
  readonly paymentIntentId: string;
}

const dueFields = z.object({ refundPaymentId: z.string(), refundPaymentIntentId: z.string() });

/** The durable queue of refunds owed to Stripe, kept on the bookings themselves. */
export class RefundQueue {
  constructor(private readonly db: Firestore) {}

  private doc(bookingId: string) {
    return this.db.collection(BOOKINGS_COLLECTION).doc(bookingId);
  }

  /** Records in `tx` that the booking's payment must be refunded (writes only). */
  add(tx: Transaction, refund: DueRefund, now: Date): void {
    tx.update(this.doc(refund.bookingId), {
      [REFUND_DUE_FIELD]: Timestamp.fromDate(now),
      refundPaymentId: refund.paymentId,
      refundPaymentIntentId: refund.paymentIntentId,
    });
  }

  /** Up to `limit` refunds owed, longest-owed first. */
  async due(limit: number): Promise<DueRefund[]> {
    const snapshot = await this.db
      .collection(BOOKINGS_COLLECTION)
      .where(REFUND_DUE_FIELD, '<=', Timestamp.now())
      .orderBy(REFUND_DUE_FIELD)
      .limit(limit)
      .select('refundPaymentId', 'refundPaymentIntentId')
      .get();
    return snapshot.docs.map((document) => {
      const fields = dueFields.parse(document.data());
      return {
        bookingId: document.id,
        paymentId: fields.refundPaymentId,
        paymentIntentId: fields.refundPaymentIntentId,
      };
    });
  }

  /** Removes the booking from the queue once Stripe has accepted its refund. */
  async done(bookingId: string): Promise<void> {
    await this.doc(bookingId).update({ [REFUND_DUE_FIELD]: FieldValue.delete() });
  }
}
