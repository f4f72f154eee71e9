import { createHash } from 'node:crypto';
import type { Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { OutboxRecord, OutboxRepository } from '../pubsub/outbox-repository';

/** The topic the contract names for everything a user should hear about. */
export const USER_NOTIFICATIONS_TOPIC = 'user-notifications';

/** The kinds of change a user hears about, exactly as the contract lists them. */
export const userNotificationTypes = [
  'booking.confirmed',
  'tickets.issued',
  'booking.expired',
  'booking.refunded',
  'waitlist.offered',
  'event.updated',
  'event.cancelled',
] as const;

export type UserNotificationType = (typeof userNotificationTypes)[number];

/** The message on {@link USER_NOTIFICATIONS_TOPIC}, exactly as the contract lists its fields. */
export const userNotificationSchema = z.strictObject({
  notificationId: z.string().min(1),
  userId: z.string().min(1),
  type: z.enum(userNotificationTypes),
  eventId: z.string().min(1),
  bookingId: z.string().min(1).optional(),
  createdAt: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});

export type UserNotification = z.infer<typeof userNotificationSchema>;

/** What a service says about a change; the id and time are added when it is written. */
export interface UserNotificationInput {
  readonly userId: string;
  readonly type: UserNotificationType;
  readonly eventId: string;
  readonly bookingId?: string;
  /**
   * Names the change this notification announces (a booking id, an entry id, an event version), so that
   * the same change announced twice (a re-run transaction, a retried job) gets the same `notificationId`
   * and consumers keep one.
   */
  readonly changeKey: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * The id of a notification: a hash of its user, type and change, so it is the same however often the
 * change is announced.
 */
export function notificationIdFor(
  input: Pick<UserNotificationInput, 'userId' | 'type' | 'changeKey'>,
): string {
  return createHash('sha256')
    .update(`${input.userId}\u0000${input.type}\u0000${input.changeKey}`)
    .digest('base64url')
    .slice(0, 27);
}

/**
 * Writes user notifications to the transactional outbox, in the transaction that makes the change they
 * announce; the relay publishes them to {@link USER_NOTIFICATIONS_TOPIC} after the commit.
 */
export class UserNotificationOutbox {
  constructor(private readonly outbox: OutboxRepository) {}

  /** Adds one notification in `tx` (writes only) and returns the outbox record to relay after commit. */
  add(tx: Transaction, input: UserNotificationInput, now: Date): OutboxRecord {
    const notification: UserNotification = {
      notificationId: notificationIdFor(input),
      userId: input.userId,
      type: input.type,
      eventId: input.eventId,
      ...(input.bookingId === undefined ? {} : { bookingId: input.bookingId }),
      createdAt: now.toISOString(),
      data: { ...input.data },
    };
    return this.outbox.add(
      tx,
      { topic: USER_NOTIFICATIONS_TOPIC, data: JSON.stringify(notification), orderingKey: input.userId },
      now,
    );
  }
}
