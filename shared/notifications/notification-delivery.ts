import type { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import type { Firestore } from 'firebase-admin/firestore';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { logger } from '../logging/logger';
import type { Device } from './device';
import type { DeviceRepository } from './device-repository';
import type { InboxRepository, PushState } from './inbox-repository';
import { pushMessageFor } from './push-message';
import type { PushSender } from './push-sender';
import type { UserNotification } from './user-notification';

/** Thrown so that Pub/Sub delivers the message again: FCM asked for a retry of some devices. */
export class PushRetryError extends Error {
  override readonly name = 'PushRetryError';
}

/**
 * Thrown for a notification with pushes FCM refused for good, on every delivery: Pub/Sub's dead-letter
 * policy then moves the message to the dead-letter topic, where an operator sees it. Redeliveries send
 * nothing again.
 */
export class PushFailedError extends Error {
  override readonly name = 'PushFailedError';
}

/** What one delivery did. */
export interface DeliveryCounts {
  readonly inboxCreated: boolean;
  readonly sent: number;
  readonly unregistered: number;
  readonly retry: number;
  readonly failed: number;
}

/**
 * Delivers a `user-notifications` message: stores it in the user's inbox once, and pushes it once to each
 * of the user's devices. Each device's push is claimed in the transaction that reads the inbox entry, before
 * it is sent, so concurrent or repeated deliveries of one message never push twice to a device (at most
 * once: a crash between claim and send loses that push; the inbox still has the notification).
 */
export class NotificationDelivery {
  constructor(
    private readonly db: Firestore,
    private readonly inbox: InboxRepository,
    private readonly devices: DeviceRepository,
    private readonly sender: PushSender,
    /**
     * Whose account is being deleted: their notifications are dropped, not stored, so a late delivery never
     * recreates an inbox the deletion erased. The deletion record outlives every delivery attempt (it stays
     * at least 2 h after the deletion; a message is dead-lettered after 10 attempts, about 100 minutes).
     */
    private readonly deletions: Pick<AccountDeletionRepository, 'getIn'>,
  ) {}

  /**
   * @throws PushRetryError when FCM asked to retry some pushes (their claims are released first).
   * @throws PushFailedError when some push of this notification failed for good, now or before.
   */
  async deliver(notification: UserNotification): Promise<DeliveryCounts> {
    const { userId, notificationId } = notification;
    const { claimed, inboxCreated, failedBefore } = await runTransactionWithRetry(this.db, async (tx) => {
      const [entry, devices, deletion] = await Promise.all([
        this.inbox.getIn(tx, userId, notificationId),
        this.devices.listIn(tx, userId),
        this.deletions.getIn(tx, userId),
      ]);
      if (deletion !== undefined) return { claimed: [], inboxCreated: false, failedBefore: 0 };
      const unclaimed = devices.filter((device) => entry?.pushes[device.tokenId] === undefined);
      const tokenIds = unclaimed.map((device) => device.tokenId);
      if (entry === undefined) this.inbox.create(tx, notification, tokenIds);
      else this.inbox.claim(tx, userId, notificationId, tokenIds);
      const failed = Object.values(entry?.pushes ?? {}).filter((state) => state === 'failed').length;
      return { claimed: unclaimed, inboxCreated: entry === undefined, failedBefore: failed };
    });
    const outcomes = await this.push(notification, claimed);
    const counts = { inboxCreated, sent: 0, unregistered: 0, retry: 0, failed: 0 };
    outcomes.forEach((outcome) => (counts[outcome] += 1));
    await Promise.all(
      claimed
        .filter((_, index) => outcomes[index] === 'unregistered')
        .map((device) => this.devices.removeIfOwned(userId, device.tokenId)),
    );
    logger.info('user notification delivered', { notificationId, type: notification.type, ...counts });
    if (counts.retry > 0) throw new PushRetryError(`FCM asked to retry ${counts.retry} push(es)`);
    if (counts.failed + failedBefore > 0) {
      throw new PushFailedError(
        `${counts.failed + failedBefore} push(es) of ${notificationId} failed for good`,
      );
    }
    return counts;
  }

  /** Sends to the claimed devices and records each outcome; a batch that fails as a whole releases them. */
  private async push(notification: UserNotification, claimed: readonly Device[]) {
    if (claimed.length === 0) return [];
    const { userId, notificationId } = notification;
    const release = new Map(claimed.map((device) => [device.tokenId, undefined]));
    let outcomes;
    try {
      outcomes = await this.sender.send(
        claimed.map((device) => device.fcmToken),
        pushMessageFor(notification),
      );
    } catch (error) {
      await this.inbox.settle(userId, notificationId, release);
      throw error;
    }
    const settled = new Map<string, Exclude<PushState, 'sending'> | undefined>(
      claimed.map((device, index) => {
        const outcome = outcomes[index] ?? 'retry';
        return [device.tokenId, outcome === 'retry' ? undefined : outcome];
      }),
    );
    await this.inbox.settle(userId, notificationId, settled);
    return claimed.map((_, index) => outcomes[index] ?? 'retry');
  }
}
