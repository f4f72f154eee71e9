import { FieldPath, FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { OpenHold } from './hold-limit';

/**
 * One document per user and event, `userEventHolds/{eventId}_{userId}`, listing the user's open holds on the
 * event by booking id. Reading it inside the booking transaction is what makes the hold limit hold when
 * one user's requests race each other.
 */
export const USER_EVENT_HOLDS_COLLECTION = 'userEventHolds';

const holdsDocument = z.object({
  holds: z.record(
    z.string(),
    z.object({
      quantity: z.number().int(),
      expiresAt: z.instanceof(Timestamp).transform((value) => value.toDate()),
    }),
  ),
});

/** Reads and writes the per-user-per-event hold lists. */
export class UserHoldRepository {
  constructor(private readonly db: Firestore) {}

  private ref(userId: string, eventId: string) {
    return this.db.collection(USER_EVENT_HOLDS_COLLECTION).doc(`${eventId}_${userId}`);
  }

  /** The user's holds on the event, read in `tx`; none when the user never held a ticket of it. */
  async getIn(tx: Transaction, userId: string, eventId: string): Promise<Record<string, OpenHold>> {
    const data = (await tx.get(this.ref(userId, eventId))).data();
    return data === undefined ? {} : holdsDocument.parse(data).holds;
  }

  /** Replaces the list in `tx` (after `getIn`), so that lapsed entries are pruned as new ones arrive. */
  replace(tx: Transaction, userId: string, eventId: string, holds: Readonly<Record<string, OpenHold>>): void {
    const stored = Object.fromEntries(
      Object.entries(holds).map(([bookingId, hold]) => [
        bookingId,
        { quantity: hold.quantity, expiresAt: Timestamp.fromDate(hold.expiresAt) },
      ]),
    );
    tx.set(this.ref(userId, eventId), { userId, eventId, holds: stored });
  }

  /**
   * Drops a booking from the list in `tx` without reading it: call it whenever a hold ends (expired,
   * cancelled or paid). Deleting an entry that is already gone changes nothing.
   */
  remove(tx: Transaction, userId: string, eventId: string, bookingId: string): void {
    tx.update(this.ref(userId, eventId), new FieldPath('holds', bookingId), FieldValue.delete());
  }
}
