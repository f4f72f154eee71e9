import type { Firestore } from 'firebase-admin/firestore';
import type { DataSubject, ExportSections, PersonalDataPart } from '../personal-data';
import { exportRecord } from '../user-keyed-documents';

/**
 * Push devices (`users/{uid}/devices/{tokenId}` with the ownership index `deviceTokens/{tokenId}`) and the
 * notification inbox (`users/{uid}/notifications/{notificationId}`). Both subcollections go with the
 * profile's recursive delete; this part exports them and drops the index entries the account still owns
 * (an entry that moved to another user with its phone is theirs now).
 */
export class PushData implements PersonalDataPart {
  readonly name = 'push';

  constructor(private readonly db: Firestore) {}

  private subcollection(uid: string, name: 'devices' | 'notifications') {
    return this.db.collection('users').doc(uid).collection(name);
  }

  async exportOf(uid: string): Promise<ExportSections> {
    const [devices, notifications] = await Promise.all([
      this.subcollection(uid, 'devices').get(),
      this.subcollection(uid, 'notifications').get(),
    ]);
    return {
      devices: devices.docs.map((document) => exportRecord(document.id, document.data())),
      notifications: notifications.docs.map((document) => exportRecord(document.id, document.data())),
    };
  }

  async erase(subject: DataSubject): Promise<void> {
    const devices = await this.subcollection(subject.uid, 'devices').select().get();
    for (const device of devices.docs) {
      await this.db.runTransaction(async (tx) => {
        const index = this.db.collection('deviceTokens').doc(device.id);
        if ((await tx.get(index)).get('userId') === subject.uid) tx.delete(index);
      });
    }
  }
}
