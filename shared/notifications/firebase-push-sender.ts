import type { App } from 'firebase-admin/app';
import type { PushMessage, PushOutcome, PushSender } from './push-sender';

/** FCM error codes (as the Admin SDK names them) that mean the token will never work again. */
const DEAD_TOKEN_CODES = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
]);

/**
 * FCM error codes that FCM documents as worth retrying with backoff (UNAVAILABLE, INTERNAL and the quota
 * errors); firebase.google.com/docs/cloud-messaging/error-codes.
 */
const RETRY_CODES = new Set([
  'messaging/server-unavailable',
  'messaging/internal-error',
  'messaging/message-rate-exceeded',
  'messaging/device-message-rate-exceeded',
  'messaging/unknown-error',
]);

/** Maps the Admin SDK's error code of one send to what the caller does about it. */
export function pushOutcomeOf(errorCode: string | undefined): PushOutcome {
  if (errorCode === undefined) return 'sent';
  if (DEAD_TOKEN_CODES.has(errorCode)) return 'unregistered';
  return RETRY_CODES.has(errorCode) ? 'retry' : 'failed';
}

/**
 * The {@link PushSender} on Firebase Cloud Messaging (`firebase-admin/messaging`), one multicast per
 * notification to all of a user's devices. The messaging module is imported on first send, so that only the
 * function that pushes pays for it.
 */
export class FirebasePushSender implements PushSender {
  constructor(private readonly app: () => App) {}

  async send(tokens: readonly string[], message: PushMessage): Promise<PushOutcome[]> {
    const { getMessaging } = await import('firebase-admin/messaging');
    const batch = await getMessaging(this.app()).sendEachForMulticast({
      tokens: [...tokens],
      notification: { title: message.title, body: message.body },
      data: { ...message.data },
    });
    return batch.responses.map((response) =>
      response.success ? 'sent' : pushOutcomeOf(response.error?.code ?? 'messaging/unknown-error'),
    );
  }
}
