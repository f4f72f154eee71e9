import type { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import type { Firestore } from 'firebase-admin/firestore';
import { decodeBookingCursor, encodeBookingCursor } from '../bookings/booking-cursor';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { tokenIdOf } from './device';
import type { DeviceRepository } from './device-repository';
import type { InboxEntry, InboxRepository } from './inbox-repository';
import type { NotificationPage, NotificationResponse } from './notification-response-schemas';
import {
  MAX_DEVICES_PER_USER,
  type MyNotificationsQuery,
  type RegisterDeviceBody,
} from './notification-schemas';

/** What a notification id looks like (see `notificationIdFor`): 27 base64url characters. */
const NOTIFICATION_ID_PATTERN = /^[A-Za-z0-9_-]{27}$/;

function toNotificationResponse(entry: InboxEntry): NotificationResponse {
  return {
    notificationId: entry.notificationId,
    type: entry.type,
    eventId: entry.eventId,
    ...(entry.bookingId === undefined ? {} : { bookingId: entry.bookingId }),
    createdAt: entry.createdAt,
    data: { ...entry.data },
  };
}

/** The caller's devices and inbox: registering push tokens and reading missed notifications. */
export class DeviceService {
  constructor(
    private readonly db: Firestore,
    private readonly devices: DeviceRepository,
    private readonly inbox: InboxRepository,
    /** Refuses registrations of an account whose deletion has started, in the registering transaction. */
    private readonly deletions: Pick<AccountDeletionRepository, 'assertNotClosingIn'>,
    private readonly clock: Clock,
  ) {}

  /**
   * Registers the token for the caller, in one transaction: a token another user registered moves to the
   * caller (a phone changed hands); registering it again refreshes it; beyond
   * {@link MAX_DEVICES_PER_USER} devices the oldest registrations are dropped.
   */
  async register(uid: string, body: RegisterDeviceBody): Promise<void> {
    const tokenId = tokenIdOf(body.fcmToken);
    await runTransactionWithRetry(this.db, async (tx) => {
      const [owner, own] = await Promise.all([
        this.devices.ownerIn(tx, tokenId),
        this.devices.listIn(tx, uid),
        this.deletions.assertNotClosingIn(tx, uid),
      ]);
      if (owner !== undefined && owner !== uid) this.devices.removeFromUser(tx, owner, tokenId);
      const others = own.filter((device) => device.tokenId !== tokenId);
      for (const dropped of others.slice(0, Math.max(0, others.length - (MAX_DEVICES_PER_USER - 1)))) {
        this.devices.remove(tx, uid, dropped.tokenId);
      }
      this.devices.save(tx, uid, {
        tokenId,
        fcmToken: body.fcmToken,
        platform: body.platform,
        registeredAt: this.clock.now(),
      });
    });
  }

  /** Removes the token if the caller owns it; a token of nobody or of someone else changes nothing. */
  async unregister(uid: string, fcmToken: string): Promise<void> {
    await this.devices.removeIfOwned(uid, tokenIdOf(fcmToken));
  }

  /** One page of the caller's notifications of the last 90 days, newest first. */
  async myNotifications(uid: string, query: MyNotificationsQuery): Promise<NotificationPage> {
    const after =
      query.cursor === undefined ? undefined : decodeBookingCursor(query.cursor, NOTIFICATION_ID_PATTERN);
    const page = await this.inbox.pageOfUser(uid, this.clock.now(), query.limit, after);
    const last = page.entries.at(-1);
    return {
      notifications: page.entries.map(toNotificationResponse),
      nextCursor:
        page.hasMore && last !== undefined
          ? encodeBookingCursor({ createdAtMs: Date.parse(last.createdAt), id: last.notificationId })
          : null,
    };
  }
}
