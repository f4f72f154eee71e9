import { DomainError } from '../errors/domain-errors';

/** The function does not accept this HTTP method: 405 with `Allow`. */
export class MethodNotAllowedError extends DomainError {
  constructor(readonly allow: readonly string[]) {
    super(`Use ${allow.join(', ')}.`);
  }
}

/** The body exceeds the service's limit: 413. */
export class PayloadTooLargeError extends DomainError {}

/** The body is not `application/json`: 415. */
export class UnsupportedMediaTypeError extends DomainError {}

/** The body is not parseable JSON: 400. */
export class MalformedJsonError extends DomainError {}
