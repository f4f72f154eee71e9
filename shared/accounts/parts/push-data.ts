import type { DeviceRepository } from '../../notifications/device-repository';
import type { InboxRepository } from '../../notifications/inbox-repository';
import type { DataSubject, ExportSections, PersonalDataPart } from '../personal-data';

/**
 * Push devices (`users/{uid}/devices/{tokenId}` with the ownership index `deviceTokens/{tokenId}`) and the
 * notification inbox (`users/{uid}/notifications/{notificationId}`), through their repositories. Erasing
 * drops the index entries the account still owns (an entry that moved to another user with its phone is
 * theirs now); the profile's recursive delete would take the subcollections anyway.
 */
export class PushData implements PersonalDataPart {
  readonly name = 'push';

  constructor(
    private readonly devices: Pick<DeviceRepository, 'listByUser' | 'deleteAllForUser'>,
    private readonly inbox: Pick<InboxRepository, 'listByUser' | 'deleteAllForUser'>,
  ) {}

  async exportOf(uid: string): Promise<ExportSections> {
    const [devices, notifications] = await Promise.all([
      this.devices.listByUser(uid),
      this.inbox.listByUser(uid),
    ]);
    return {
      devices: devices.map(({ tokenId, registeredAt, ...device }) => ({
        id: tokenId,
        ...device,
        registeredAt: registeredAt.toISOString(),
      })),
      notifications: notifications.map(({ notificationId, ...entry }) => ({ id: notificationId, ...entry })),
    };
  }

  async erase(subject: DataSubject): Promise<void> {
    await this.devices.deleteAllForUser(subject.uid);
    await this.inbox.deleteAllForUser(subject.uid);
  }
}
