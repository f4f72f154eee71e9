import type { MiddlewareObj } from '@middy/core';
import { logger } from '../../logging/logger';
import type { HttpEvent, HttpResult } from '../http-types';
import { toProblem } from '../problem';
import { problemResult } from '../write-response';

/** Turns any error raised in the pipeline into its problem+json answer; logs infrastructure faults. */
export function problemResponses(): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'problemResponses',
    onError: (request) => {
      const problem = toProblem(request.error);
      if (problem.status >= 500) logger.error('request failed', { err: request.error });
      request.response = problemResult(problem);
    },
  };
}
