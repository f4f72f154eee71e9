import { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import { systemClock } from '../time/clock';
import { firebaseApp } from '../firebase/app';
import { firestore } from '../firebase/firestore';
import { DeviceRepository } from './device-repository';
import { DeviceService } from './device-service';
import { FirebasePushSender } from './firebase-push-sender';
import { InboxRepository } from './inbox-repository';
import { NotificationDelivery } from './notification-delivery';

let devices: DeviceService | undefined;
let delivery: NotificationDelivery | undefined;

/** The device and inbox service wired to Firestore, built on first use. */
export function deviceService(): DeviceService {
  devices ??= new DeviceService(
    firestore(),
    new DeviceRepository(firestore()),
    new InboxRepository(firestore()),
    new AccountDeletionRepository(firestore()),
    systemClock,
  );
  return devices;
}

/** The delivery of `user-notifications` messages, wired to Firestore and FCM, built on first use. */
export function notificationDelivery(): NotificationDelivery {
  delivery ??= new NotificationDelivery(
    firestore(),
    new InboxRepository(firestore()),
    new DeviceRepository(firestore()),
    new FirebasePushSender(firebaseApp),
    new AccountDeletionRepository(firestore()),
  );
  return delivery;
}
