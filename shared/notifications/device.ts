import { createHash } from 'node:crypto';

/** Platforms a device may register for, as the contract lists them. */
export const DEVICE_PLATFORMS = ['ios', 'android', 'web'] as const;

export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

/** One registered device of a user, stored in `users/{uid}/devices/{tokenId}`. */
export interface Device {
  /** SHA-256 hex of the FCM token: the token itself never appears in a document path. */
  readonly tokenId: string;
  readonly fcmToken: string;
  readonly platform: DevicePlatform;
  readonly registeredAt: Date;
}

/** The id of a token's documents: its SHA-256 in lowercase hex. */
export function tokenIdOf(fcmToken: string): string {
  return createHash('sha256').update(fcmToken).digest('hex');
}
