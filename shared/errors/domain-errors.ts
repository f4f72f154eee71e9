/** One invalid input field: a dotted path (`company.email`, `location.lat`) and what is wrong with it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Base of every error that the domain raises on purpose. Anything else that reaches the HTTP layer is an
 * infrastructure fault and answers 5xx.
 */
export abstract class DomainError extends Error {
  override get name(): string {
    return this.constructor.name;
  }
}

/** Input that breaks a rule: 400 with one entry per bad field. */
export class ValidationError extends DomainError {
  constructor(
    detail: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(detail);
  }
}

/** Missing, malformed, expired, revoked or forged credentials: 401. */
export class AuthenticationError extends DomainError {}

/** Authenticated, but the caller's role may not do this: 403. */
export class PermissionDeniedError extends DomainError {}

/** The resource does not exist or belongs to someone else (never say which): 404. */
export class NotFoundError extends DomainError {}

/** Stable names of the state conflicts clients branch on; each becomes the problem `type` slug. */
export type ConflictKind =
  | 'already-registered'
  | 'username-taken'
  | 'stale-version'
  | 'capacity-in-use'
  | 'sold-out'
  | 'event-started'
  | 'event-cancelled'
  | 'hold-limit-reached'
  | 'invalid-state'
  | 'idempotency-key-reused'
  | 'request-in-progress'
  | 'event-out-of-order'
  | 'already-checked-in'
  | 'ticket-void'
  | 'invitation-pending'
  | 'invitation-not-pending'
  | 'last-admin'
  | 'tickets-available'
  | 'already-waiting'
  | 'active-tickets';

/** The request is valid but the current state forbids it: 409. */
export class ConflictError extends DomainError {
  /**
   * @param extensions extension members (RFC 9457) of the problem document that clients act on:
   * `checkedInAt` of `already-checked-in`
   */
  constructor(
    readonly kind: ConflictKind,
    detail: string,
    readonly extensions: { readonly checkedInAt?: string } = {},
  ) {
    super(detail);
  }
}

/**
 * A dependency every call needs cannot be reached (the rate limit store during a Firestore outage): 503
 * with `Retry-After`. Not the caller's fault, and nothing was done.
 */
export class ServiceUnavailableError extends DomainError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail);
  }
}

/** The caller exceeded a rate limit: 429 with `Retry-After`. */
export class RateLimitedError extends DomainError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail);
  }
}
