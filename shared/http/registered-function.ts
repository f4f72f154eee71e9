/** How a function is invoked: plain HTTP, or a CloudEvent delivered by Eventarc / a push subscription. */
export type FunctionSignature = 'http' | 'cloudevent';

/**
 * Who may invoke a function. `public` functions are open to the internet (the Firebase ID token or the
 * Stripe signature authenticates the caller); `internal` ones are only invocable by Cloud Scheduler or
 * Eventarc service accounts in production.
 */
export type FunctionVisibility = 'public' | 'internal';

/** What the registry knows about one deployed function. */
export interface RegisteredFunction {
  /** Function name: the entry point, the Cloud Function name and the local path `/<name>`. */
  readonly name: string;
  readonly signature: FunctionSignature;
  readonly visibility: FunctionVisibility;
}
