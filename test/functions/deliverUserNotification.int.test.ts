import { PubSub } from '@google-cloud/pubsub';
import { tokenIdOf } from '../../shared/notifications/device';
import { apiClient, expectData } from '../support/api-client';
import { localCloudEnvironment } from '../support/environment';
import { adminFirestore } from '../support/firestore-admin';
import { createRegisteredUser, type RoleUser } from '../support/roles';
import {
  fcmAnswers,
  fcmToken,
  notificationFor,
  pushesTo,
  pushUserNotification,
  registerDevice,
  storedDevices,
} from './notification-fixtures';

async function inbox(user: RoleUser) {
  return expectData(await apiClient(user.idToken).GET('/myNotifications', { params: { query: {} } }), 200)
    .notifications;
}

async function deviceIds(user: RoleUser): Promise<string[]> {
  return (await storedDevices(user)).map((device) => device.id).sort();
}

/** Polls until `check` passes or the time is up (Pub/Sub push delivery is asynchronous). */
async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('deliverUserNotification (user-notifications subscriber)', () => {
  it('stores one inbox entry and pushes once per device however often the message is delivered', async () => {
    const user = await createRegisteredUser();
    const [phone, tablet] = [fcmToken(), fcmToken()];
    await registerDevice(user, phone, 'ios');
    await registerDevice(user, tablet, 'android');
    const message = notificationFor(user);

    const deliveries = await Promise.all([
      pushUserNotification(message, '1'),
      pushUserNotification(message, '1'),
      pushUserNotification(message, '1'),
    ]);
    expect(deliveries.map(({ status }) => status)).toEqual([204, 204, 204]);
    expect((await pushUserNotification(message, '2')).status).toBe(204);

    const { userId: _userId, ...entry } = message;
    expect(await inbox(user)).toEqual([entry]);
    for (const token of [phone, tablet]) {
      const pushes = await pushesTo(token);
      expect(pushes).toHaveLength(1);
      expect(pushes[0]?.data).toEqual({
        notificationId: message.notificationId,
        type: 'booking.confirmed',
        eventId: message.eventId,
        bookingId: message.bookingId,
      });
      expect(pushes[0]?.notification).toEqual({ title: 'Booking confirmed', body: expect.any(String) });
    }
  });

  it('drops a token FCM reports as unregistered and still reaches the other devices', async () => {
    const user = await createRegisteredUser();
    const [dead, alive] = [fcmToken(), fcmToken()];
    await registerDevice(user, dead);
    await registerDevice(user, alive);
    await fcmAnswers(dead, 'unregistered');

    expect((await pushUserNotification(notificationFor(user))).status).toBe(204);

    expect(await deviceIds(user)).toEqual([tokenIdOf(alive)]);
    expect(await pushesTo(dead)).toEqual([]);
    expect(await pushesTo(alive)).toHaveLength(1);
    const owner = await adminFirestore().collection('deviceTokens').doc(tokenIdOf(dead)).get();
    expect(owner.exists).toBe(false);
  });

  it('asks Pub/Sub to retry when FCM asks to, and pushes only the devices not yet reached on redelivery', async () => {
    const user = await createRegisteredUser();
    const [flaky, fine] = [fcmToken(), fcmToken()];
    await registerDevice(user, flaky);
    await registerDevice(user, fine);
    await fcmAnswers(flaky, 'internal');
    const message = notificationFor(user);

    expect((await pushUserNotification(message)).status).toBeGreaterThanOrEqual(500);
    expect(await pushesTo(fine)).toHaveLength(1);
    expect(await inbox(user)).toHaveLength(1);

    await fcmAnswers(flaky, 'ok');
    expect((await pushUserNotification(message)).status).toBe(204);
    expect(await pushesTo(flaky)).toHaveLength(1);
    expect(await pushesTo(fine)).toHaveLength(1);
    expect(await inbox(user)).toHaveLength(1);
  });

  it('fails every delivery of a push FCM refused for good, so that Pub/Sub dead-letters it, without pushing again', async () => {
    const user = await createRegisteredUser();
    const refused = fcmToken();
    await registerDevice(user, refused);
    await fcmAnswers(refused, 'invalid-argument');
    const message = notificationFor(user);

    expect((await pushUserNotification(message)).status).toBeGreaterThanOrEqual(500);
    await fcmAnswers(refused, 'ok');
    expect((await pushUserNotification(message)).status).toBeGreaterThanOrEqual(500);
    expect(await pushesTo(refused)).toEqual([]);
    expect(await inbox(user)).toHaveLength(1);
  });

  it('drops a notification of an account whose deletion has started: no inbox entry, no push', async () => {
    const user = await createRegisteredUser();
    const phone = fcmToken();
    await registerDevice(user, phone, 'ios');
    await adminFirestore()
      .collection('accountDeletions')
      .doc(user.uid)
      .set({ status: 'erasing', pseudonym: 'erased-test', startedAt: new Date() });

    expect((await pushUserNotification(notificationFor(user), '1')).status).toBe(204);

    const stored = await adminFirestore().collection('users').doc(user.uid).collection('notifications').get();
    expect(stored.size).toBe(0);
    expect(await pushesTo(phone)).toEqual([]);
  });

  it('refuses a malformed message so that Pub/Sub retries and finally dead-letters it', async () => {
    const response = await pushUserNotification({ notificationId: 'x' });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  it('is reached through the user-notifications topic and its push subscription', async () => {
    const user = await createRegisteredUser();
    const token = fcmToken();
    await registerDevice(user, token, 'web');
    const message = notificationFor(user);
    const { projectId } = localCloudEnvironment();
    const pubsub = new PubSub({ projectId });
    try {
      await pubsub.topic('user-notifications').publishMessage({ data: Buffer.from(JSON.stringify(message)) });
    } finally {
      await pubsub.close();
    }
    expect(
      await eventually(
        () => pushesTo(token),
        (pushes) => pushes.length > 0,
      ),
    ).toHaveLength(1);
    expect((await inbox(user)).map((entry) => entry.notificationId)).toEqual([message.notificationId]);
  });
});
