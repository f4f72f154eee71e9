import * as z from 'zod';
import { DEVICE_PLATFORMS } from './device';

/** Page sizes of `myNotifications`. */
export const NOTIFICATIONS_PAGE = { default: 20, max: 50 } as const;

/** Most devices one user may register; registering one more drops the oldest. */
export const MAX_DEVICES_PER_USER = 10;

/**
 * An FCM registration token: opaque visible ASCII (real ones are about 160 characters); the bound keeps a
 * hostile body from storing kilobytes per device.
 */
const fcmToken = z.string().regex(/^[\x21-\x7e]{1,4096}$/, 'Not an FCM registration token.');

/** Body of `POST /registerDevice`. */
export const registerDeviceBodySchema = z.strictObject({
  fcmToken,
  platform: z.enum(DEVICE_PLATFORMS),
});

/** Body of `POST /unregisterDevice`. */
export const unregisterDeviceBodySchema = z.strictObject({ fcmToken });

/** Query of `GET /myNotifications`; values arrive as strings. */
export const myNotificationsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(NOTIFICATIONS_PAGE.max).default(NOTIFICATIONS_PAGE.default),
  cursor: z.string().min(1).max(512).optional(),
});

export type RegisterDeviceBody = z.infer<typeof registerDeviceBodySchema>;
export type MyNotificationsQuery = z.infer<typeof myNotificationsQuerySchema>;
