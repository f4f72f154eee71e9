import type { MiddlewareObj } from '@middy/core';
import { systemClock } from '../../bookings/clock';
import { getConfig } from '../../config/config';
import { AuthenticationError, PermissionDeniedError, RateLimitedError } from '../../errors/domain-errors';
import { logger } from '../../logging/logger';
import type { RateLimit, RateLimitedFunction, RateLimitSettings } from '../../rate-limits/rate-limit-policy';
import { RateLimiter } from '../../rate-limits/rate-limiter';
import { clientAddress } from '../client-address';
import type { HttpEvent } from '../http-types';

let processLimiter: RateLimiter | undefined;

/** The process-wide limiter; the Firestore store (and the Admin SDK) loads on the first counted call. */
function sharedLimiter(): RateLimiter {
  processLimiter ??= new RateLimiter(async () => {
    const { rateLimitStore } = await import('../../rate-limits/rate-limit-services');
    return rateLimitStore();
  }, systemClock);
  return processLimiter;
}

/** Where the limits come from and who counts; tests replace both. */
export interface RateLimitOptions {
  readonly settings?: () => RateLimitSettings;
  readonly limiter?: () => RateLimiter;
}

function addressOf(event: HttpEvent): string {
  return clientAddress(event.req.get('x-forwarded-for'), event.req.socket.remoteAddress);
}

/**
 * Rate limits one of the limited functions (docs/abuse-resistance.md). Placed after `authenticate` and
 * before the body is looked at: a verified caller counts per user; a call whose credentials fail (401,
 * 403) counts per client address, and once over that limit answers 429 instead. Calls without an
 * `Authorization` header are refused before any work and are not counted: counting would cost more than
 * refusing. Fails open: when the store cannot be reached the call proceeds (logged), since a limiter
 * outage must not stop an on-sale.
 */
export function rateLimit(
  functionName: RateLimitedFunction,
  options: RateLimitOptions = {},
): MiddlewareObj<HttpEvent> {
  const settings = options.settings ?? (() => getConfig().rateLimits);
  const limiter = options.limiter ?? sharedLimiter;

  const refusal = async (subject: string, limit: RateLimit): Promise<RateLimitedError | undefined> => {
    try {
      const wait = await limiter().take(functionName, subject, limit);
      return wait === undefined
        ? undefined
        : new RateLimitedError(`Too many requests. Retry in ${wait} seconds.`, wait);
    } catch (error) {
      logger.warn('rate limit not checked, call allowed', { err: error });
      return undefined;
    }
  };

  return {
    name: 'rateLimit',
    before: async ({ event }) => {
      // Only reached after `authenticate` succeeded; the check narrows the type.
      if (event.caller === undefined) return;
      const refused = await refusal(`user:${event.caller.uid}`, settings().perUser[functionName]);
      if (refused !== undefined) throw refused;
    },
    onError: async (request) => {
      const { event, error } = request;
      const credentialsRefused =
        error instanceof AuthenticationError || error instanceof PermissionDeniedError;
      if (event.caller !== undefined || !credentialsRefused) return;
      if (event.req.get('authorization') === undefined) return;
      const refused = await refusal(`address:${addressOf(event)}`, settings().perAddress);
      if (refused !== undefined) request.error = refused;
    },
  };
}
