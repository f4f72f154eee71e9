import { invalidRequest, StripeApiError } from './errors';

/** Stripe's documented limit on idempotency key length. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Stripe keeps keys at least 24 hours. */
export const DEFAULT_IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** The request an idempotency key was first used for. */
export interface IdempotentRequest {
  /** `POST /v1/refunds`. */
  endpoint: string;
  /** A canonical text of its parameters. */
  fingerprint: string;
}

/** A saved response, replayed byte for byte. */
export interface SavedResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  request: IdempotentRequest;
  response: SavedResponse;
  savedAt: number;
}

/**
 * Stripe's idempotency layer (docs.stripe.com/api/idempotent_requests): the first response for a key is
 * saved, whatever its status, and replayed for the same request; the same key on another endpoint or with
 * other parameters is an `idempotency_error`. Keys are scoped to the API key that used them and forgotten
 * after the retention period.
 */
export class IdempotencyStore {
  // Insertion order is save order, which lets expired keys be dropped from the front cheaply.
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number = DEFAULT_IDEMPOTENCY_KEY_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Rejects a key Stripe would not accept. */
  static check(key: string): void {
    if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw invalidRequest(
        `Invalid Idempotency-Key: keys can be up to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long ` +
          `(got ${key.length}).`,
      );
    }
  }

  /**
   * The saved response for this key, or undefined when the key is new (or expired). Throws the
   * `idempotency_error` when the key was used for a different request.
   */
  lookup(scope: string, key: string, request: IdempotentRequest): SavedResponse | undefined {
    this.prune();
    const entry = this.entries.get(entryKey(scope, key));
    if (!entry) return undefined;
    if (entry.request.endpoint !== request.endpoint) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ` +
          `('${entry.request.endpoint}' vs '${request.endpoint}'). Try using a key other than '${key}' if you ` +
          `meant to execute a different request.`,
      );
    }
    if (entry.request.fingerprint !== request.fingerprint) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. ` +
          `Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return entry.response;
  }

  save(scope: string, key: string, request: IdempotentRequest, response: SavedResponse): void {
    this.entries.set(entryKey(scope, key), { request, response, savedAt: this.now() });
  }

  private prune(): void {
    const oldest = this.now() - this.ttlMs;
    for (const [key, entry] of this.entries) {
      if (entry.savedAt > oldest) break;
      this.entries.delete(key);
    }
  }
}

function entryKey(scope: string, key: string): string {
  // NUL cannot occur in an HTTP header value, so scope and key never run into each other.
  return `${scope}\u0000${key}`;
}

function idempotencyError(message: string): StripeApiError {
  return new StripeApiError(400, { type: 'idempotency_error', message });
}
