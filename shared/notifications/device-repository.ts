import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import { storedTimestamp } from '../firebase/stored-timestamp';
import { DEVICE_PLATFORMS, type Device } from './device';

/** Ownership index `deviceTokens/{tokenId}`: which user a token belongs to now. */
export const DEVICE_TOKENS_COLLECTION = 'deviceTokens';

const deviceDocument = z.object({
  fcmToken: z.string(),
  platform: z.enum(DEVICE_PLATFORMS),
  registeredAt: storedTimestamp,
});

const ownerDocument = z.object({ uid: z.string() });

/** Firestore's limit of writes in one batch. */
const MAX_BATCH_WRITES = 500;

/**
 * Reads and writes users' devices and the token ownership index. A token belongs to at most one user: the
 * index and the user's device document change together, in the caller's transaction.
 */
export class DeviceRepository {
  constructor(private readonly db: Firestore) {}

  private devices(uid: string) {
    return this.db.collection('users').doc(uid).collection('devices');
  }

  private owners() {
    return this.db.collection(DEVICE_TOKENS_COLLECTION);
  }

  /** The user's devices read in `tx`, oldest registration first. */
  async listIn(tx: Transaction, uid: string): Promise<Device[]> {
    return sortedDevices((await tx.get(this.devices(uid))).docs);
  }

  /** The user who owns the token now, read in `tx`. */
  async ownerIn(tx: Transaction, tokenId: string): Promise<string | undefined> {
    const snapshot = await tx.get(this.owners().doc(tokenId));
    return snapshot.exists ? ownerDocument.parse(snapshot.data()).uid : undefined;
  }

  /** Gives the device to `uid` (writes only): its document and the ownership index. */
  save(tx: Transaction, uid: string, device: Device): void {
    tx.set(this.devices(uid).doc(device.tokenId), {
      fcmToken: device.fcmToken,
      platform: device.platform,
      registeredAt: Timestamp.fromDate(device.registeredAt),
    });
    tx.set(this.owners().doc(device.tokenId), { uid });
  }

  /** Removes the user's device document only (writes only); the index moves with {@link save}. */
  removeFromUser(tx: Transaction, uid: string, tokenId: string): void {
    tx.delete(this.devices(uid).doc(tokenId));
  }

  /** Removes the device and its ownership entry (writes only; the caller checked that `uid` owns it). */
  remove(tx: Transaction, uid: string, tokenId: string): void {
    tx.delete(this.devices(uid).doc(tokenId));
    tx.delete(this.owners().doc(tokenId));
  }

  /**
   * Removes a token from `uid` if it still belongs to them: a token that moved to another user meanwhile
   * stays theirs. Returns whether it was removed.
   */
  async removeIfOwned(uid: string, tokenId: string): Promise<boolean> {
    return this.db.runTransaction(async (tx) => {
      if ((await this.ownerIn(tx, tokenId)) !== uid) return false;
      this.remove(tx, uid, tokenId);
      return true;
    });
  }

  /** Every device of the user, oldest registration first (account export). */
  async listByUser(uid: string): Promise<Device[]> {
    return sortedDevices((await this.devices(uid).get()).docs);
  }

  /** Deletes every device of the user and the ownership entries still pointing at them (account deletion). */
  async deleteAllForUser(uid: string): Promise<number> {
    const devices = await this.listByUser(uid);
    for (let start = 0; start < devices.length; start += MAX_BATCH_WRITES / 2) {
      const page = devices.slice(start, start + MAX_BATCH_WRITES / 2);
      await this.db.runTransaction(async (tx) => {
        const owners = await Promise.all(page.map((device) => this.ownerIn(tx, device.tokenId)));
        page.forEach((device, index) => {
          if (owners[index] === uid) this.remove(tx, uid, device.tokenId);
          else this.removeFromUser(tx, uid, device.tokenId);
        });
      });
    }
    return devices.length;
  }
}

function sortedDevices(docs: readonly { id: string; data(): unknown }[]): Device[] {
  return docs
    .map((doc) => ({ tokenId: doc.id, ...deviceDocument.parse(doc.data()) }))
    .sort(
      (a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || a.tokenId.localeCompare(b.tokenId),
    );
}
