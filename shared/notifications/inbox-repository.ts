import { FieldPath, FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { BookingCursor } from '../bookings/booking-cursor';
import { storedTimestamp } from '../firebase/stored-timestamp';
import { userNotificationTypes, type UserNotification } from './user-notification';

/** How long the inbox keeps a notification; Firestore's TTL policy on `expiresAt` deletes it after. */
export const INBOX_RETENTION_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** What happened to the push of one notification to one device (keyed by the device's token id). */
export type PushState = 'sending' | 'sent' | 'failed' | 'unregistered';

/** One notification in `users/{uid}/notifications/{notificationId}`. */
export interface InboxEntry extends Omit<UserNotification, 'userId'> {
  readonly pushes: Readonly<Record<string, PushState>>;
}

const entryDocument = z.object({
  type: z.enum(userNotificationTypes),
  eventId: z.string(),
  bookingId: z.string().optional(),
  createdAt: storedTimestamp,
  data: z.record(z.string(), z.unknown()),
  pushes: z.record(z.string(), z.enum(['sending', 'sent', 'failed', 'unregistered'])).default({}),
});

/** Firestore's limit of writes in one batch. */
const MAX_BATCH_WRITES = 500;

/** The field path of one device's push state; token ids are hex, so the dotted path is safe. */
function pushField(tokenId: string): string {
  return `pushes.${tokenId}`;
}

function toEntry(id: string, data: unknown): InboxEntry {
  const { createdAt, bookingId, ...rest } = entryDocument.parse(data);
  return {
    notificationId: id,
    ...rest,
    ...(bookingId === undefined ? {} : { bookingId }),
    createdAt: createdAt.toISOString(),
  };
}

/**
 * A user's notification inbox. An entry is created once per `notificationId` and records, per device,
 * whether its push was sent, so that redelivered messages change nothing.
 */
export class InboxRepository {
  constructor(private readonly db: Firestore) {}

  private entries(uid: string) {
    return this.db.collection('users').doc(uid).collection('notifications');
  }

  /** The entry read in `tx`, if it exists. */
  async getIn(tx: Transaction, uid: string, notificationId: string): Promise<InboxEntry | undefined> {
    const snapshot = await tx.get(this.entries(uid).doc(notificationId));
    return snapshot.exists ? toEntry(snapshot.id, snapshot.data()) : undefined;
  }

  /**
   * Creates the entry (writes only; the caller read in `tx` that it is absent) with the pushes it claims,
   * expiring {@link INBOX_RETENTION_DAYS} after the change it announces.
   */
  create(tx: Transaction, notification: UserNotification, claims: readonly string[]): void {
    const createdAt = new Date(notification.createdAt);
    tx.create(this.entries(notification.userId).doc(notification.notificationId), {
      type: notification.type,
      eventId: notification.eventId,
      ...(notification.bookingId === undefined ? {} : { bookingId: notification.bookingId }),
      createdAt: Timestamp.fromDate(createdAt),
      expiresAt: Timestamp.fromMillis(createdAt.getTime() + INBOX_RETENTION_DAYS * DAY_MS),
      data: notification.data,
      pushes: Object.fromEntries(claims.map((tokenId) => [tokenId, 'sending' satisfies PushState])),
    });
  }

  /** Claims pushes on an existing entry (writes only). */
  claim(tx: Transaction, uid: string, notificationId: string, tokenIds: readonly string[]): void {
    if (tokenIds.length === 0) return;
    tx.update(
      this.entries(uid).doc(notificationId),
      Object.fromEntries(tokenIds.map((tokenId) => [pushField(tokenId), 'sending'])),
    );
  }

  /**
   * Records how pushes ended; `undefined` releases a claim, so that a redelivery tries that device again.
   */
  async settle(
    uid: string,
    notificationId: string,
    outcomes: ReadonlyMap<string, Exclude<PushState, 'sending'> | undefined>,
  ): Promise<void> {
    if (outcomes.size === 0) return;
    await this.entries(uid)
      .doc(notificationId)
      .update(
        Object.fromEntries(
          [...outcomes].map(([tokenId, state]) => [pushField(tokenId), state ?? FieldValue.delete()]),
        ),
      );
  }

  /**
   * One page of the user's entries newest first (ties by id), of the last {@link INBOX_RETENTION_DAYS}
   * days: TTL deletion runs up to a day late, so expired entries are filtered rather than trusted gone.
   */
  async pageOfUser(
    uid: string,
    now: Date,
    limit: number,
    after: BookingCursor | undefined,
  ): Promise<{ entries: InboxEntry[]; hasMore: boolean }> {
    let query = this.entries(uid)
      .where('createdAt', '>', Timestamp.fromMillis(now.getTime() - INBOX_RETENTION_DAYS * DAY_MS))
      .orderBy('createdAt', 'desc')
      .orderBy(FieldPath.documentId(), 'desc');
    if (after !== undefined) query = query.startAfter(Timestamp.fromMillis(after.createdAtMs), after.id);
    const snapshot = await query.limit(limit + 1).get();
    const entries = snapshot.docs.map((doc) => toEntry(doc.id, doc.data()));
    return { entries: entries.slice(0, limit), hasMore: entries.length > limit };
  }

  /** Every stored entry of the user, newest first (account export). */
  async listByUser(uid: string): Promise<InboxEntry[]> {
    const snapshot = await this.entries(uid).orderBy('createdAt', 'desc').get();
    return snapshot.docs.map((doc) => toEntry(doc.id, doc.data()));
  }

  /** Deletes every entry of the user in batched writes (account deletion); returns how many. */
  async deleteAllForUser(uid: string): Promise<number> {
    let deleted = 0;
    for (;;) {
      const page = await this.entries(uid).select().limit(MAX_BATCH_WRITES).get();
      if (page.empty) return deleted;
      const batch = this.db.batch();
      page.docs.forEach((doc) => batch.delete(doc.ref));
      await batch.commit();
      deleted += page.size;
    }
  }
}
