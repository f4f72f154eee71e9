import {
  AuthenticationError,
  ConflictError,
  DomainError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitedError,
  ServiceUnavailableError,
  ValidationError,
  type FieldIssue,
} from '../errors/domain-errors';
import {
  MalformedJsonError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from './http-errors';

/** Prefix of every problem `type`; clients branch on the full URI. */
export const PROBLEM_TYPE_BASE = 'https://errors.event-manager.dev/';

/** An RFC 9457 problem document as this API writes it. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldIssue[];
  /** `already-checked-in` only: when the ticket's first scan admitted it. */
  readonly checkedInAt?: string;
}

/** A problem ready to be written: status, extra headers and body. */
export interface ProblemResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ProblemBody;
}

interface ProblemShape {
  readonly slug: string;
  readonly status: number;
  readonly title: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly errors?: readonly FieldIssue[];
}

const CONFLICT_TITLES: Readonly<Record<ConflictError['kind'], string>> = {
  'already-registered': 'Already registered',
  'username-taken': 'Username taken',
  'stale-version': 'Stale version',
  'capacity-in-use': 'Tickets already held or sold',
  'sold-out': 'Sold out',
  'event-started': 'Event already started',
  'event-cancelled': 'Event cancelled',
  'hold-limit-reached': 'Too many open holds',
  'invalid-state': 'Invalid state',
  'idempotency-key-reused': 'Idempotency key reused',
  'request-in-progress': 'Request in progress',
  'event-out-of-order': 'Event arrived before the state it acts on',
  'already-checked-in': 'Ticket already checked in',
  'ticket-void': 'Ticket void',
  'invitation-pending': 'Invitation already pending',
  'invitation-not-pending': 'Invitation no longer pending',
  'last-admin': 'Last admin of the company',
  'tickets-available': 'Tickets available',
  'already-waiting': 'Already waiting',
  'active-tickets': 'Tickets for events to come',
};

function shapeOf(error: DomainError): ProblemShape {
  if (error instanceof ValidationError) {
    return { slug: 'validation', status: 400, title: 'Invalid request', errors: error.issues };
  }
  if (error instanceof MalformedJsonError)
    return { slug: 'malformed-json', status: 400, title: 'Malformed JSON' };
  if (error instanceof AuthenticationError) {
    return {
      slug: 'unauthenticated',
      status: 401,
      title: 'Unauthenticated',
      headers: { 'WWW-Authenticate': 'Bearer' },
    };
  }
  if (error instanceof PermissionDeniedError) return { slug: 'forbidden', status: 403, title: 'Forbidden' };
  if (error instanceof NotFoundError) return { slug: 'not-found', status: 404, title: 'Not found' };
  if (error instanceof MethodNotAllowedError) {
    return {
      slug: 'method-not-allowed',
      status: 405,
      title: 'Method not allowed',
      headers: { Allow: error.allow.join(', ') },
    };
  }
  if (error instanceof ConflictError) {
    return { slug: error.kind, status: 409, title: CONFLICT_TITLES[error.kind] };
  }
  if (error instanceof PayloadTooLargeError) {
    return { slug: 'payload-too-large', status: 413, title: 'Payload too large' };
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return { slug: 'unsupported-media-type', status: 415, title: 'Unsupported media type' };
  }
  if (error instanceof RateLimitedError) {
    return retryLater({ slug: 'rate-limited', status: 429, title: 'Too many requests' }, error);
  }
  if (error instanceof ServiceUnavailableError) {
    return retryLater({ slug: 'unavailable', status: 503, title: 'Service unavailable' }, error);
  }
  return internalShape;
}

/** A problem that tells the client when to come back. */
function retryLater(shape: ProblemShape, error: { readonly retryAfterSeconds: number }): ProblemShape {
  return { ...shape, headers: { 'Retry-After': String(error.retryAfterSeconds) } };
}

const internalShape: ProblemShape = { slug: 'internal', status: 500, title: 'Internal error' };

/**
 * The one place where errors become HTTP answers. Domain errors keep their message as `detail`; anything
 * else is an infrastructure fault whose details stay in the logs, never in the response.
 */
export function toProblem(error: unknown): ProblemResponse {
  const known = error instanceof DomainError;
  const shape = known ? shapeOf(error) : internalShape;
  const detail = known && shape !== internalShape ? error.message : 'An unexpected error occurred.';
  return {
    status: shape.status,
    headers: shape.headers ?? {},
    body: {
      type: `${PROBLEM_TYPE_BASE}${shape.slug}`,
      title: shape.title,
      status: shape.status,
      detail,
      ...(shape.errors === undefined ? {} : { errors: shape.errors }),
      ...(error instanceof ConflictError ? error.extensions : {}),
    },
  };
}
