import type { MiddlewareObj } from '@middy/core';
import { systemClock } from '../../time/clock';
import { getConfig } from '../../config/config';
import {
  AuthenticationError,
  PermissionDeniedError,
  RateLimitedError,
  ServiceUnavailableError,
} from '../../errors/domain-errors';
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

/** What a caller is told to wait when the limit cannot be checked at all. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

function addressOf(event: HttpEvent): string {
  return clientAddress(event.req.get('x-forwarded-for'), event.req.socket.remoteAddress);
}

/**
 * Rate limits one of the limited functions (docs/abuse-resistance.md). Placed after `authenticate` and
 * before the body is looked at: a verified caller counts per user; a call whose credentials fail (401,
 * 403) counts per client address, and once over that limit answers 429 instead. Calls without an
 * `Authorization` header are refused before any work and are not counted: counting would cost more than
 * refusing. Fails closed (decision 126): a count lost to contention is a 429 (the store decides so), and
 * when the store fails otherwise (unreachable) a verified caller's call answers 503 with `Retry-After`,
 * logged, since the call would need the same Firestore; a call whose credentials were refused keeps its
 * 401/403 then.
 */
export function rateLimit(
  functionName: RateLimitedFunction,
  options: RateLimitOptions = {},
): MiddlewareObj<HttpEvent> {
  const settings = options.settings ?? (() => getConfig().rateLimits);
  const limiter = options.limiter ?? sharedLimiter;

  const refusal = async (subject: string, limit: RateLimit): Promise<RateLimitedError | undefined> => {
    const wait = await limiter().take(functionName, subject, limit);
    return wait === undefined
      ? undefined
      : new RateLimitedError(`Too many requests. Retry in ${wait} seconds.`, wait);
  };

  return {
    name: 'rateLimit',
    before: async ({ event }) => {
      // Only reached after `authenticate` succeeded; the check narrows the type.
      if (event.caller === undefined) return;
      const refused = await refusal(`user:${event.caller.uid}`, settings().perUser[functionName]).catch(
        (error: unknown) => {
          logger.error('rate limit could not be checked, call refused', { err: error });
          throw new ServiceUnavailableError(
            'The service cannot take this request right now; retry shortly.',
            UNAVAILABLE_RETRY_AFTER_SECONDS,
          );
        },
      );
      if (refused !== undefined) throw refused;
    },
    onError: async (request) => {
      const { event, error } = request;
      const credentialsRefused =
        error instanceof AuthenticationError || error instanceof PermissionDeniedError;
      if (event.caller !== undefined || !credentialsRefused) return;
      if (event.req.get('authorization') === undefined) return;
      const refused = await refusal(`address:${addressOf(event)}`, settings().perAddress).catch(
        (error: unknown) => {
          // The call is refused already; only its count is lost.
          logger.warn('rate limit could not count a refused credential', { err: error });
          return undefined;
        },
      );
      if (refused !== undefined) request.error = refused;
    },
  };
}
