import type { FieldIssue } from '../errors/domain-errors';
import type { EventDetails } from './event';

/** How far ahead an event may be scheduled; further is almost certainly a typo in the year. */
export const MAX_YEARS_AHEAD = 5;

/** Rules on `startsAt` alone: in the future, and not absurdly far in it. */
export function startsAtIssues(startsAt: Date, now: Date): FieldIssue[] {
  if (startsAt.getTime() <= now.getTime()) return [{ path: 'startsAt', message: 'Must be in the future.' }];
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
  if (startsAt > latest) {
    return [{ path: 'startsAt', message: `Must be within ${MAX_YEARS_AHEAD} years from now.` }];
  }
  return [];
}

type TierFields = Pick<EventDetails, 'totalTickets' | 'surgeThreshold' | 'basePrice' | 'surgePrice'>;

/** A rule between two fields: the `dependent` one is at fault unless only the other was changed. */
interface PairRule {
  readonly dependent: keyof TierFields;
  readonly other: keyof TierFields;
  readonly holds: (event: TierFields) => boolean;
  readonly dependentMessage: (event: TierFields) => string;
  readonly otherMessage: (event: TierFields) => string;
}

const PAIR_RULES: readonly PairRule[] = [
  {
    dependent: 'surgeThreshold',
    other: 'totalTickets',
    holds: (event) => event.surgeThreshold <= event.totalTickets,
    dependentMessage: (event) => `Must not exceed totalTickets (${event.totalTickets}).`,
    otherMessage: (event) => `Must be at least surgeThreshold (${event.surgeThreshold}).`,
  },
  {
    dependent: 'surgePrice',
    other: 'basePrice',
    holds: (event) => event.surgePrice >= event.basePrice,
    dependentMessage: (event) => `Must be at least basePrice (${event.basePrice}).`,
    otherMessage: (event) => `Must not exceed surgePrice (${event.surgePrice}).`,
  },
];

/**
 * Rules between fields of a whole event (the stored event with an update applied): `surgeThreshold <=
 * totalTickets` and `surgePrice >= basePrice`. Each broken rule names one field: the dependent one
 * (`surgeThreshold`, `surgePrice`), or the other one when `changed` says only that one was just changed,
 * because that is the value the client has to fix.
 */
export function tierIssues(event: TierFields, changed?: ReadonlySet<keyof EventDetails>): FieldIssue[] {
  return PAIR_RULES.filter((rule) => !rule.holds(event)).map((rule) => {
    const blameOther = changed !== undefined && changed.has(rule.other) && !changed.has(rule.dependent);
    return blameOther
      ? { path: rule.other, message: rule.otherMessage(event) }
      : { path: rule.dependent, message: rule.dependentMessage(event) };
  });
}

/** Whether the event has begun; a started event can no longer be changed or booked. */
export function hasStarted(event: Pick<EventDetails, 'startsAt'>, now: Date): boolean {
  return event.startsAt.getTime() <= now.getTime();
}
