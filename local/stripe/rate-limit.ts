import * as z from 'zod';
import { StripeApiError } from './errors';

/**
 * Stripe's request rate limits, off by default (docs/local-stripe-sandbox.md, Rate limits): at most
 * `requestsPerSecond` `/v1` requests in each second overall and `perEndpointPerSecond` per endpoint (method
 * and path with its ids left out), as live mode's 100 and 25. A request over either limit is answered 429
 * `rate_limit` and does nothing.
 */
export const rateLimitSettingsSchema = z.strictObject({
  requestsPerSecond: z.int().min(1).nullable(),
  perEndpointPerSecond: z.int().min(1).nullable(),
});

/** Rate limit settings as configured; null turns that limit off. */
export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;

/** Stripe's answer to a request over the limit; the SDK raises it as `StripeRateLimitError`. */
export function rateLimitError(message: string): StripeApiError {
  return new StripeApiError(429, { type: 'invalid_request_error', code: 'rate_limit', message });
}

/** `POST /v1/payment_intents/pi_123/confirm` → `POST /v1/payment_intents/:id/confirm`. */
export function endpointOf(method: string, pathname: string): string {
  const path = pathname
    .split('/')
    // An object id (`pi_3Abc…`) has a short prefix and a body with capitals or digits, unlike `payment_intents`.
    .map((segment) => (/^[a-z]{2,5}_[A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*$/.test(segment) ? ':id' : segment))
    .join('/');
  return `${method} ${path}`;
}

/** Counts requests in whole-second windows and refuses those over the limits. */
export class SandboxRateLimiter {
  private settings: RateLimitSettings = { requestsPerSecond: null, perEndpointPerSecond: null };
  private second = -1;
  private total = 0;
  private readonly byEndpoint = new Map<string, number>();
  /** Requests refused so far, for benchmarks and tests. */
  private refused = 0;

  configure(settings: RateLimitSettings): void {
    this.settings = settings;
  }

  current(): RateLimitSettings & { refused: number } {
    return { ...this.settings, refused: this.refused };
  }

  /** Counts the request at `nowMs`; the error to answer when it is over a limit (it is not counted then). */
  check(endpoint: string, nowMs: number): StripeApiError | undefined {
    const { requestsPerSecond, perEndpointPerSecond } = this.settings;
    if (requestsPerSecond === null && perEndpointPerSecond === null) return undefined;
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.total = 0;
      this.byEndpoint.clear();
    }
    const onEndpoint = this.byEndpoint.get(endpoint) ?? 0;
    if (
      (requestsPerSecond !== null && this.total >= requestsPerSecond) ||
      (perEndpointPerSecond !== null && onEndpoint >= perEndpointPerSecond)
    ) {
      this.refused += 1;
      return rateLimitError('Too many requests hit the API too quickly.');
    }
    this.total += 1;
    this.byEndpoint.set(endpoint, onEndpoint + 1);
    return undefined;
  }
}
