import type { HoldLimitReached } from './booking-outcomes';

/** One open hold of a user on an event, as the per-user-per-event document lists it. */
export interface OpenHold {
  readonly quantity: number;
  readonly expiresAt: Date;
}

/** The holds whose payment window is still open: lapsed ones no longer count, even before their release. */
export function liveHolds(holds: Readonly<Record<string, OpenHold>>, now: Date): Record<string, OpenHold> {
  return Object.fromEntries(
    Object.entries(holds).filter(([, hold]) => hold.expiresAt.getTime() > now.getTime()),
  );
}

/** Tickets the user holds in live holds. */
export function ticketsOnHold(holds: Readonly<Record<string, OpenHold>>, now: Date): number {
  return Object.values(liveHolds(holds, now)).reduce((sum, hold) => sum + hold.quantity, 0);
}

/**
 * Anti-hoarding (OWASP API6): the tickets one user holds on one event, across all their open holds, may not
 * exceed the event's `maxTicketsPerBooking`; otherwise a bot could sit on the whole on-sale with many small
 * holds. Paid tickets do not count: a hold is what blocks other buyers without paying.
 *
 * @returns the refusal when `quantity` more tickets would exceed the cap; undefined when they fit
 */
export function holdLimitRefusal(
  holds: Readonly<Record<string, OpenHold>>,
  now: Date,
  quantity: number,
  maxTicketsPerBooking: number,
): HoldLimitReached | undefined {
  const held = ticketsOnHold(holds, now);
  return held + quantity > maxTicketsPerBooking
    ? { kind: 'hold-limit-reached', held, maxTicketsPerBooking }
    : undefined;
}
