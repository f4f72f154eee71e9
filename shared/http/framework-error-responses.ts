import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { getConfig } from '../config/config';
import { DomainError, NotFoundError } from '../errors/domain-errors';
import { logger } from '../logging/logger';
import { corsResponseHeaders } from './cors';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors';
import { toProblem } from './problem';
import { problemResult, withHeaders, writeResult } from './write-response';

/** The part of an Express application this module relies on; `handle` is public JS API but untyped. */
interface DispatchingApplication {
  handle(req: IncomingMessage, res: ServerResponse, callback?: (error?: unknown) => void): void;
}

/** Error `type`s that body-parser attaches to the errors it raises before our handler runs. */
function fromBodyParser(error: unknown): Error | undefined {
  const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
  switch (type) {
    case 'entity.parse.failed':
      return new MalformedJsonError('The request body is not valid JSON.');
    case 'entity.too.large':
      return new PayloadTooLargeError('The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('The request body encoding or charset is not supported.');
    default:
      return undefined;
  }
}

/**
 * Request bodies are accepted uncompressed only. The framework would inflate gzip, deflate and br into up to
 * 1 GB before our 64 KiB limit could look at the result (a small zip bomb is a large allocation), and a
 * body that does not decode would surface as an unknown error, a 500. Clients send small JSON documents
 * and Stripe sends its webhooks uncompressed, so decoding buys nothing (decision 95).
 */
function refusedEncoding(req: IncomingMessage): Error | undefined {
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return undefined;
  return new UnsupportedMediaTypeError(
    `Content-Encoding "${encoding}" is not accepted: send the request body uncompressed.`,
  );
}

let installed = false;

/**
 * Makes the functions-framework refuse encoded bodies (415) and answer its own request-parsing failures
 * (malformed JSON above all) with problem+json instead of Express's HTML page, with the security headers
 * and, when CORS is on, its headers (a browser client must be able to read why its request failed). The framework parses bodies before any
 * user code runs and offers no error hook (functions-framework-nodejs issue #686), so we give Express's
 * final handler a callback. Express copies `application` onto each app it creates, so this must run before the framework
 * builds its server, which it does after loading the function's module.
 */
export function installFrameworkErrorResponses(): void {
  if (installed) return;
  installed = true;
  const application = express.application as unknown as DispatchingApplication;
  const dispatch = application.handle;
  application.handle = function handleWithProblems(req, res, callback) {
    const finish =
      callback ??
      ((error?: unknown) => {
        const known = error instanceof DomainError ? error : fromBodyParser(error);
        if (error !== undefined && known === undefined) {
          logger.error('request failed before reaching the function', { err: error });
        }
        const fallback = error === undefined ? new NotFoundError('No such route.') : error;
        const cors = corsResponseHeaders(getConfig().corsAllowedOrigins, req.headers.origin);
        writeResult(res, withHeaders(problemResult(toProblem(known ?? fallback)), cors));
      });
    const refused = refusedEncoding(req);
    if (refused === undefined) {
      dispatch.call(this, req, res, finish);
      return;
    }
    // Nobody reads the refused body: drain it so that a keep-alive connection stays usable.
    req.resume();
    finish(refused);
  };
}
