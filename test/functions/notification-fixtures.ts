import { randomUUID } from 'node:crypto';
import { notificationIdFor, type UserNotification } from '../../shared/notifications/user-notification';
import type { RecordedPush, TokenAnswer } from '../../local/fcm/stand-in';
import { apiClient } from '../support/api-client';
import { adminFirestore } from '../support/firestore-admin';
import { localCloudEnvironment } from '../support/environment';
import { callFunction, type FunctionResponse } from '../support/http-client';
import type { RoleUser } from '../support/roles';

/** A token shaped like FCM's, unique to the test. */
export function fcmToken(): string {
  return `fcm-${randomUUID()}:${randomUUID().replaceAll('-', '')}`;
}

/** Registers `token` for `user`, failing the test unless it answers 204. */
export async function registerDevice(
  user: RoleUser,
  token: string,
  platform: 'ios' | 'android' | 'web' = 'ios',
) {
  const { response } = await apiClient(user.idToken).POST('/registerDevice', {
    body: { fcmToken: token, platform },
  });
  if (response.status !== 204) throw new Error(`registerDevice answered ${response.status}`);
}

/** A `user-notifications` message for `user`, as the outbox writes one. */
export function notificationFor(
  user: RoleUser,
  changeKey: string = randomUUID(),
  createdAt: Date = new Date(),
): UserNotification {
  const input = { userId: user.uid, type: 'booking.confirmed' as const, changeKey };
  return {
    notificationId: notificationIdFor(input),
    userId: user.uid,
    type: input.type,
    eventId: 'event0000000000000001',
    bookingId: 'booking00000000000001',
    createdAt: createdAt.toISOString(),
    data: { quantity: 2, total: 5000, currency: 'EUR' },
  };
}

/** Delivers `message` to `deliverUserNotification` as the push subscription does (one Pub/Sub delivery). */
export function pushUserNotification(
  message: unknown,
  messageId: string = randomUUID(),
): Promise<FunctionResponse<unknown>> {
  const { projectId } = localCloudEnvironment();
  return callFunction(`deliverUserNotification/projects/${projectId}/topics/user-notifications`, {
    body: {
      subscription: `projects/${projectId}/subscriptions/user-notifications-deliver`,
      message: {
        data: Buffer.from(JSON.stringify(message)).toString('base64'),
        messageId,
        publishTime: new Date().toISOString(),
      },
    },
  });
}

/** What the FCM stand-in recorded for `token`, through its HTTP API. */
export async function pushesTo(token: string): Promise<RecordedPush[]> {
  const url = new URL('/pushes', localCloudEnvironment().fcmUrl);
  url.searchParams.set('token', token);
  const response = await fetch(url);
  return ((await response.json()) as { pushes: RecordedPush[] }).pushes;
}

/** Makes the FCM stand-in answer `answer` for `token`. */
export async function fcmAnswers(token: string, answer: TokenAnswer): Promise<void> {
  const response = await fetch(new URL('/control/tokens', localCloudEnvironment().fcmUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token, answer }),
  });
  if (response.status !== 204) throw new Error(`the FCM stand-in answered ${response.status}`);
}

/** The user's stored devices (`users/{uid}/devices`), each with its id, the token's hash. */
export async function storedDevices(user: RoleUser): Promise<{ id: string; [field: string]: unknown }[]> {
  const snapshot = await adminFirestore().collection('users').doc(user.uid).collection('devices').get();
  return snapshot.docs.map((doc) => ({ id: doc.id, ...doc.data() }));
}
