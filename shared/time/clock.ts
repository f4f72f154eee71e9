/** Where services get "now" from, so that tests can move time instead of waiting for it. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };
