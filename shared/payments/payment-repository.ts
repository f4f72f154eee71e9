import {
  Timestamp,
  type DocumentData,
  type Firestore,
  type FirestoreDataConverter,
  type QueryDocumentSnapshot,
  type Transaction,
} from 'firebase-admin/firestore';
import * as z from 'zod';
import { storedTimestamp } from '../firebase/stored-timestamp';
import { PAYMENT_STATUSES, type Payment, type PaymentStatus } from './payment';

/** Payment attempts live in `payments/{paymentId}` with random ids. */
export const PAYMENTS_COLLECTION = 'payments';

const paymentDocument = z.object({
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

const paymentConverter: FirestoreDataConverter<Payment> = {
  toFirestore: (payment: Payment): DocumentData => {
    const { id: _id, createdAt, updatedAt, stripePaymentIntentId, ...fields } = payment;
    return {
      ...fields,
      stripePaymentIntentId: stripePaymentIntentId ?? null,
      createdAt: Timestamp.fromDate(createdAt),
      updatedAt: Timestamp.fromDate(updatedAt),
    };
  },
  fromFirestore: (snapshot: QueryDocumentSnapshot): Payment => ({
    id: snapshot.id,
    ...paymentDocument.parse(snapshot.data()),
  }),
};

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

  /** Records the PaymentIntent Stripe created for the attempt. */
  linkPaymentIntent(tx: Transaction, id: string, paymentIntentId: string, now: Date): void {
    tx.update(this.db.collection(PAYMENTS_COLLECTION).doc(id), {
      stripePaymentIntentId: paymentIntentId,
      updatedAt: Timestamp.fromDate(now),
    });
  }
}
