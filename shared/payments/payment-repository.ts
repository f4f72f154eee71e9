import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import { entityConverter } from '../firebase/entity-converter';
import { storedTimestamp } from '../firebase/stored-timestamp';
import { PAYMENT_STATUSES, type Payment, type PaymentStatus } from './payment';

/** Payment attempts live in `payments/{paymentId}` with random ids. */
export const PAYMENTS_COLLECTION = 'payments';

/** The stored shape and the id, checked on every read so that a malformed document fails loudly. */
const paymentDocument = z.object({
  id: z.string(),
  bookingId: z.string(),
  userId: z.string(),
  attempt: z.number().int(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  stripePaymentIntentId: z
    .string()
    .nullable()
    .transform((value) => value ?? undefined),
  createdAt: storedTimestamp,
  updatedAt: storedTimestamp,
});

const paymentConverter = entityConverter<Payment>(paymentDocument, (payment) => {
  const { id: _id, createdAt, updatedAt, stripePaymentIntentId, ...fields } = payment;
  return {
    ...fields,
    stripePaymentIntentId: stripePaymentIntentId ?? null,
    createdAt: Timestamp.fromDate(createdAt),
    updatedAt: Timestamp.fromDate(updatedAt),
  };
});

/** Reads and writes `payments/{paymentId}`. */
export class PaymentRepository {
  constructor(private readonly db: Firestore) {}

  private payments() {
    return this.db.collection(PAYMENTS_COLLECTION).withConverter(paymentConverter);
  }

  /** A fresh random payment id. */
  newPaymentId(): string {
    return this.payments().doc().id;
  }

  async find(id: string): Promise<Payment | undefined> {
    return (await this.payments().doc(id).get()).data();
  }

  async getIn(tx: Transaction, id: string): Promise<Payment | undefined> {
    return (await tx.get(this.payments().doc(id))).data();
  }

  create(tx: Transaction, payment: Payment): void {
    tx.create(this.payments().doc(payment.id), payment);
  }

  changeStatus(tx: Transaction, id: string, status: PaymentStatus, now: Date): void {
    tx.update(this.db.collection(PAYMENTS_COLLECTION).doc(id), {
      status,
      updatedAt: Timestamp.fromDate(now),
    });
  }

  /** Every payment attempt of a user: for the export of their data. */
  async allOfUser(userId: string): Promise<Payment[]> {
    const snapshot = await this.payments().where('userId', '==', userId).get();
    return snapshot.docs.map((document) => document.data());
  }

  /** Records the PaymentIntent Stripe created for the attempt. */
  linkPaymentIntent(tx: Transaction, id: string, paymentIntentId: string, now: Date): void {
    tx.update(this.db.collection(PAYMENTS_COLLECTION).doc(id), {
      stripePaymentIntentId: paymentIntentId,
      updatedAt: Timestamp.fromDate(now),
    });
  }
}
