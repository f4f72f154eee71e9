import { createHash } from 'node:crypto';
import * as z from 'zod';
import { StripeApiError } from './errors';

/**
 * API faults of the sandbox (docs/local-stripe-sandbox.md, API faults): a seeded fraction of `/v1`
 * requests is answered 500 or 429 instead of its result, 500 also after applying the request (the
 * client's answer was lost: a failing proxy), or is not answered at all (`timeout`: the connection is held
 * `timeoutMs`, then dropped, so the client's own timeout fires first). Off by default.
 */
export const apiFaultSettingsSchema = z
  .strictObject({
    /** Each API request fails with this probability; 0 turns the faults off. */
    fraction: z.number().min(0).max(1),
    /** The failures to choose from, one drawn per failed request; a 429 never applied its request. */
    answers: z
      .array(
        z.strictObject({
          status: z.union([z.literal(500), z.literal(429), z.literal('timeout')]),
          when: z.enum(['before-apply', 'after-apply']),
        }),
      )
      .min(1)
      .default([
        { status: 500, when: 'before-apply' },
        { status: 500, when: 'after-apply' },
        { status: 429, when: 'before-apply' },
      ]),
    /** Seed of the draws, so that a run can be replayed; default 1. */
    seed: z.int().min(0).default(1),
    /** How long a `timeout` holds the connection before dropping it unanswered; default 30 s. */
    timeoutMs: z.int().min(1).max(300_000).default(30_000),
  })
  .refine(
    (settings) => settings.answers.every((answer) => answer.status !== 429 || answer.when === 'before-apply'),
    {
      message: 'a 429 means the request was refused: only before-apply',
    },
  );

/** API fault settings as configured. */
export type ApiFaultSettings = z.infer<typeof apiFaultSettingsSchema>;

/** A failure drawn for one request: an error answer, or no answer for `timeoutMs` and then none at all. */
export type ApiFault = { readonly when: 'before-apply' | 'after-apply' } & (
  { readonly error: StripeApiError } | { readonly timeoutMs: number }
);

/**
 * A seeded stream of numbers in [0, 1): the n-th is read from SHA-256 of `seed:n`. Slow next to an
 * arithmetic generator but plenty for a few thousand draws, and the same on every platform.
 */
export function seededRandom(seed: number): () => number {
  let drawn = 0;
  return () => {
    const digest = createHash('sha256').update(`${seed}:${drawn}`).digest();
    drawn += 1;
    return digest.readUInt32BE(0) / 4_294_967_296;
  };
}

function faultError(status: 500 | 429): StripeApiError {
  // Stripe's documented shapes: an api_error for its own failures, rate_limit for too many requests.
  return status === 429
    ? new StripeApiError(429, {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message: 'Too many requests hit the API too quickly (injected fault).',
      })
    : new StripeApiError(500, {
        type: 'api_error',
        message: 'An error occurred with our API (injected fault).',
      });
}

/** Decides which API requests fail; off until {@link ApiFaultInjector.configure} says otherwise. */
export class ApiFaultInjector {
  private settings: ApiFaultSettings = { fraction: 0, answers: [], seed: 1, timeoutMs: 30_000 };
  private random = seededRandom(1);

  /** Replaces the settings (validated by {@link apiFaultSettingsSchema}) and restarts the draws. */
  configure(settings: ApiFaultSettings): void {
    this.settings = settings;
    this.random = seededRandom(settings.seed);
  }

  /** The settings in force. */
  current(): ApiFaultSettings {
    return this.settings;
  }

  /** The failure of the next API request, or undefined to serve it. */
  draw(): ApiFault | undefined {
    if (this.settings.fraction === 0 || this.random() >= this.settings.fraction) return undefined;
    const answer = this.settings.answers[Math.floor(this.random() * this.settings.answers.length)];
    if (answer === undefined) return undefined;
    return answer.status === 'timeout'
      ? { when: answer.when, timeoutMs: this.settings.timeoutMs }
      : { when: answer.when, error: faultError(answer.status) };
  }
}
