import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';

/** Stripe events already applied live in `stripeEvents/{eventId}`. */
export const STRIPE_EVENTS_COLLECTION = 'stripeEvents';

/**
 * Remembers applied Stripe events. Reading the entry and writing it in the transaction that applies the
 * event makes every event take effect at most once, however often Stripe delivers it.
 */
export class StripeEventLog {
  constructor(private readonly db: Firestore) {}

  async seenIn(tx: Transaction, eventId: string): Promise<boolean> {
    return (await tx.get(this.db.collection(STRIPE_EVENTS_COLLECTION).doc(eventId))).exists;
  }

  record(tx: Transaction, eventId: string, type: string, now: Date): void {
    tx.create(this.db.collection(STRIPE_EVENTS_COLLECTION).doc(eventId), {
      type,
      appliedAt: Timestamp.fromDate(now),
    });
  }
}
