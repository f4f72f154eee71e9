import * as z from 'zod';

/** At most `requests` calls in `windowSeconds`, the window opening at a subject's first counted call. */
export interface RateLimit {
  readonly requests: number;
  readonly windowSeconds: number;
}

/** The write functions whose callers are rate limited; only these may appear in `RATE_LIMITS`. */
export const RATE_LIMITED_FUNCTIONS = ['register', 'book', 'pay', 'cancelBooking'] as const;

/** Name of a function that has a rate limit. */
export type RateLimitedFunction = (typeof RATE_LIMITED_FUNCTIONS)[number];

/** The limits in force: per verified user of each limited function, and per client address. */
export interface RateLimitSettings {
  readonly perUser: Readonly<Record<RateLimitedFunction, RateLimit>>;
  /**
   * Per client address and function, for calls to a limited function that present credentials which do not
   * establish an allowed caller (401, 403).
   */
  readonly perAddress: RateLimit;
}

const MINUTE = 60;

/**
 * Generous enough that no real buyer meets them: a purchase is one `book` and one or two `pay` calls, and a
 * person registers once. The per-address limit keeps each counter document at the one sustained write per
 * second that Firestore recommends for a single document.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  perUser: {
    register: { requests: 5, windowSeconds: MINUTE },
    book: { requests: 20, windowSeconds: MINUTE },
    pay: { requests: 10, windowSeconds: MINUTE },
    cancelBooking: { requests: 20, windowSeconds: MINUTE },
  },
  perAddress: { requests: 60, windowSeconds: MINUTE },
};

const rateLimitSchema = z.strictObject({
  requests: z.int().min(1).max(1_000_000),
  windowSeconds: z.int().min(1).max(86_400),
});

/** An environment variable holding JSON, parsed and then validated by `schema`. */
export function jsonVariable<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, context): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        context.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/**
 * `RATE_LIMITS`: JSON object by function name, e.g. `{"book":{"requests":30,"windowSeconds":60}}`; each
 * entry replaces that function's default, unknown function names are refused.
 */
export const perUserLimitsVariable = jsonVariable(
  z.partialRecord(z.enum(RATE_LIMITED_FUNCTIONS), rateLimitSchema),
);

/** `RATE_LIMIT_PER_IP`: JSON `{"requests":60,"windowSeconds":60}`, replacing the per-address default. */
export const perAddressLimitVariable = jsonVariable(rateLimitSchema);

/** The settings in force: the defaults with the configured entries in their place. */
export function rateLimitSettings(
  perUser: Partial<Record<RateLimitedFunction, RateLimit>> | undefined,
  perAddress: RateLimit | undefined,
): RateLimitSettings {
  return {
    perUser: { ...DEFAULT_RATE_LIMITS.perUser, ...perUser },
    perAddress: perAddress ?? DEFAULT_RATE_LIMITS.perAddress,
  };
}

/** True for the functions that have a rate limit. */
export function isRateLimited(functionName: string): functionName is RateLimitedFunction {
  return (RATE_LIMITED_FUNCTIONS as readonly string[]).includes(functionName);
}
