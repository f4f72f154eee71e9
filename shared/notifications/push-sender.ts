/** What a push shows on the device, and the data the app reads to open the right screen. */
export interface PushMessage {
  readonly title: string;
  readonly body: string;
  /** FCM data payloads carry strings only. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * How the push to one device ended: `sent`; `unregistered` (the token is dead: drop it); `retry` (the
 * push service asked to try again later); `failed` (it will not succeed by retrying).
 */
export type PushOutcome = 'sent' | 'unregistered' | 'retry' | 'failed';

/** Sends pushes to devices; see `FirebasePushSender`. */
export interface PushSender {
  /**
   * Sends `message` to each token, as one batch; resolves with one outcome per token, in order. Rejects
   * only when the batch as a whole could not be sent (nothing is known to have reached any device).
   */
  send(tokens: readonly string[], message: PushMessage): Promise<PushOutcome[]>;
}
