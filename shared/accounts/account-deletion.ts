import { randomUUID } from 'node:crypto';

/**
 * Where a deletion stands, kept in `accountDeletions/{uid}`: `erasing` from the moment it starts (every
 * other call of the account is refused from then on), `erased` once every personal data part is erased
 * (the pseudonym is forgotten then), `deleted` once the Firebase Auth account is gone too.
 */
export type AccountDeletionStatus = 'erasing' | 'erased' | 'deleted';

/** The record of one account's deletion. */
export interface AccountDeletion {
  readonly uid: string;
  readonly status: AccountDeletionStatus;
  /**
   * The random stand-in for the uid on everything kept for accounting; stored only while erasing, so a
   * retried deletion keeps using the same one, and dropped before the account is deleted.
   */
  readonly pseudonym: string | undefined;
  readonly startedAt: Date;
}

/**
 * How long the `deleted` record outlives the Auth account: longer than a Firebase ID token lives (one hour),
 * so that the middleware refuses every old token, reads included, until it has expired anyway.
 */
export const DELETED_RECORD_LIFETIME_MS = 2 * 60 * 60 * 1000;

/**
 * A fresh pseudonym: random, derived from nothing, so nothing can turn it back into the uid once the
 * deletion record has forgotten it (docs/accounts.md).
 */
export function newPseudonym(): string {
  return `erased-${randomUUID()}`;
}

/** An event as the deletion rules see it: when it starts and whether it was cancelled. */
export interface EventSchedule {
  readonly startsAt: Date;
  /** Missing on events stored before cancellation existed: they are scheduled. */
  readonly status: string | undefined;
}

/** Whether the event is scheduled and has not started at `now`: its tickets and its admins still matter. */
export function isUpcoming(event: EventSchedule, now: Date): boolean {
  return event.status !== 'cancelled' && event.startsAt.getTime() > now.getTime();
}

/**
 * The ids of the confirmed bookings whose event is still to come: tickets someone may still use, which an
 * account deletion would take away, so it is refused while there are any.
 */
export function activeTicketBookings(
  confirmed: readonly { readonly id: string; readonly eventId: string }[],
  events: ReadonlyMap<string, EventSchedule>,
  now: Date,
): string[] {
  return confirmed
    .filter((booking) => {
      const event = events.get(booking.eventId);
      return event !== undefined && isUpcoming(event, now);
    })
    .map((booking) => booking.id);
}
