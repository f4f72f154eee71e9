import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { elapsedSince, logger } from '../logging/logger';
import { parseTraceHeaders, runWithTraceContext } from '../logging/trace-context';
import type { HttpEvent, HttpResult } from './http-types';
import { leaveFrameworkRequestDomain } from './request-domain';
import { writeResult } from './write-response';

/** A middy pipeline as the adapter calls it: the event in, the result out; errors already mapped. */
export type HttpPipeline = (event: HttpEvent, context: object) => Promise<HttpResult>;

/**
 * Adapts a middy pipeline to the functions-framework `(req, res)` signature: it leaves the framework's
 * per-request domain (see {@link leaveFrameworkRequestDomain}), binds the request's trace to every log line,
 * writes the pipeline's result and logs one access line per request.
 */
export function toFrameworkHandler(functionName: string, pipeline: HttpPipeline): HttpFunction {
  return (req: Request, res: Response) => {
    leaveFrameworkRequestDomain();
    const trace = parseTraceHeaders(req.get('traceparent'), req.get('x-cloud-trace-context'));
    return runWithTraceContext({ ...trace, functionName }, async () => {
      const startedAt = process.hrtime.bigint();
      const event: HttpEvent = { req };
      const result = await pipeline(event, {});
      writeResult(res, result);
      logger.info(`${req.method} ${functionName} ${result.status}`, {
        httpRequest: {
          requestMethod: req.method,
          requestUrl: req.originalUrl,
          status: result.status,
          latency: elapsedSince(startedAt),
          userAgent: req.get('user-agent'),
        },
        userId: event.caller?.uid,
      });
    });
  };
}
