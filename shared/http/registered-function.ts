import type * as z from 'zod';
import type { ConflictKind } from '../errors/domain-errors';
import type { Access } from './http-types';

/** How a function is invoked: plain HTTP, or a CloudEvent delivered by Eventarc / a push subscription. */
export type FunctionSignature = 'http' | 'cloudevent';

/**
 * Who may invoke a function. `public` functions are open to the internet (the Firebase ID token or the
 * Stripe signature authenticates the caller); `internal` ones are only invocable by Cloud Scheduler or
 * Eventarc service accounts in production.
 */
export type FunctionVisibility = 'public' | 'internal';

/**
 * The slug of every problem `type` this API answers (`https://errors.event-manager.dev/<slug>`), as
 * `shared/http/problem.ts` writes them.
 */
export type ProblemSlug =
  | 'validation'
  | 'malformed-json'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'rate-limited'
  | 'unavailable'
  | 'internal'
  | ConflictKind;

/** A request header a function reads itself (the pipeline does not validate it). */
export interface DocumentedHeader {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  readonly schema: z.ZodType;
}

/**
 * The documentation of an HTTP function beyond its route rules and input schemas: what the OpenAPI document
 * (`shared/openapi`) says about it. Problems that the pipeline raises (method, token, role, body size, media
 * type, validation, internal faults) are derived from the route rules and need not be listed.
 */
export interface OperationDocs {
  /** Groups operations in the document: `Users`, `Events`, `Bookings`, `Payments`, `Reports`. */
  readonly tag: string;
  readonly summary: string;
  /** Longer explanation in CommonMark: rules a client developer must know. */
  readonly description?: string;
  /** The success answer; every other answer is a problem. Without a schema it has no body (a 204). */
  readonly response: {
    readonly status: number;
    readonly description: string;
    readonly schema?: z.ZodType;
  };
  /** Problems the use case itself can answer, besides those of the pipeline. */
  readonly problems?: readonly ProblemSlug[];
  readonly headers?: readonly DocumentedHeader[];
  /** A body the function reads raw instead of through a validated JSON schema (Stripe's signed events). */
  readonly rawBody?: { readonly description: string; readonly schema: z.ZodType };
}

/** Everything known about an HTTP function's interface: the source of its OpenAPI operation. */
export interface HttpOperation {
  readonly method: 'GET' | 'POST';
  readonly access: Access;
  readonly body: z.ZodType | undefined;
  readonly query: z.ZodType | undefined;
  /** Absent only for internal functions, which the OpenAPI document leaves out. */
  readonly docs: OperationDocs | undefined;
}

/** What the registry knows about one deployed function. */
export interface RegisteredFunction {
  /** Function name: the entry point, the Cloud Function name and the local path `/<name>`. */
  readonly name: string;
  readonly signature: FunctionSignature;
  readonly visibility: FunctionVisibility;
  /** Set for `http` functions. */
  readonly http?: HttpOperation;
}
