import type { Request } from '@google-cloud/functions-framework';
import { http } from '@google-cloud/functions-framework';
import middy from '@middy/core';
import * as z from 'zod';
import { getConfig } from '../config/config';
import { FirebaseIdentityVerifier } from '../auth/firebase-identity-verifier';
import type { ClosingAccounts } from '../auth/closing-accounts';
import type { IdentityVerifier } from '../auth/identity-verifier';
import { FirestoreClosingAccounts } from '../accounts/firestore-closing-accounts';
import type { RoleRecords } from '../auth/role-records';
import { FirestoreRoleRecords } from '../users/firestore-role-records';
import { isRateLimited } from '../rate-limits/rate-limit-policy';
import { toFrameworkHandler } from './framework-adapter';
import { installFrameworkErrorResponses } from './framework-error-responses';
import type { Access, CallerFor, HttpEvent, HttpResult } from './http-types';
import { allowedMethod } from './middleware/allowed-method';
import { authenticate } from './middleware/authenticate';
import { cors } from './middleware/cors';
import { jsonBody } from './middleware/json-body';
import { problemResponses } from './middleware/problem-responses';
import { rateLimit } from './middleware/rate-limit';
import { validateInput } from './middleware/validate-input';
import type { OperationDocs, RegisteredFunction } from './registered-function';

/** What a handler receives: validated input and the authenticated caller. */
export interface HandlerInput<A extends Access, TBody, TQuery> {
  readonly caller: CallerFor<A>;
  readonly body: TBody;
  readonly query: TQuery;
  /** The raw request, for the few functions that need headers or the raw body. */
  readonly req: Request;
}

/** How an HTTP function is reached and served: route rules, input schemas and the call into a service. */
export interface HttpRouteSpec<A extends Access, TBody, TQuery> {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly access: A;
  /** Strict schema of the JSON body; a function without one takes no JSON body. */
  readonly body?: z.ZodType<TBody>;
  /** Strict schema of the query string; without one, any query parameter is refused. */
  readonly query?: z.ZodType<TQuery>;
  /**
   * Serve the account while its deletion is under way: only `deleteAccount`, so that a failed deletion can
   * be retried; every other function refuses such an account (401).
   */
  readonly allowClosingAccount?: boolean;
  readonly handle: (input: HandlerInput<A, TBody, TQuery>) => Promise<HttpResult>;
}

/** Public functions must be documented, so that none is missing from the OpenAPI document. */
type Documentation =
  | { readonly visibility: 'internal'; readonly docs?: OperationDocs }
  | { readonly visibility?: 'public'; readonly docs: OperationDocs };

/** Declaration of one HTTP function: route rules, input schemas, the call into a service and its docs. */
export type HttpFunctionSpec<A extends Access, TBody, TQuery> = HttpRouteSpec<A, TBody, TQuery> &
  Documentation;

const noQueryParameters = z.strictObject({});

let defaultVerifier: IdentityVerifier | undefined;
let defaultRoleRecords: RoleRecords | undefined;
let defaultClosingAccounts: ClosingAccounts | undefined;

/**
 * Builds the middleware pipeline of an HTTP function and registers it with the functions-framework under
 * `spec.name`: the one registration point of every HTTP function.
 *
 * Order matters: `cors` is outermost (preflights carry no token; problems get its headers too); errors
 * are mapped last-in-first-out by `problemResponses`; the method is checked before anything costly; the
 * token before the body is looked at, so anonymous callers learn nothing about input rules; the rate limit
 * right after the token, so that it counts per user (docs/abuse-resistance.md).
 */
export function defineHttpFunction<A extends Access, TBody = undefined, TQuery = undefined>(
  spec: HttpFunctionSpec<A, TBody, TQuery>,
): RegisteredFunction {
  // Validated when the module loads: a misconfigured deployment fails to start, so Cloud Run never routes
  // a request to it, instead of answering 500 to every request.
  getConfig();
  installFrameworkErrorResponses();
  const pipeline = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(cors(spec.method))
    .use(problemResponses())
    .use(allowedMethod(spec.method));
  if (spec.access !== 'none') {
    defaultVerifier ??= new FirebaseIdentityVerifier();
    defaultRoleRecords ??= new FirestoreRoleRecords();
    defaultClosingAccounts ??= new FirestoreClosingAccounts();
    pipeline.use(
      authenticate(spec.access, defaultVerifier, defaultRoleRecords, defaultClosingAccounts, {
        allowClosing: spec.allowClosingAccount === true,
      }),
    );
  }
  if (isRateLimited(spec.name)) pipeline.use(rateLimit(spec.name));
  pipeline
    .use(jsonBody({ requireJson: spec.body !== undefined }))
    .use(validateInput({ body: spec.body, query: spec.query ?? noQueryParameters }));
  const handler = pipeline.handler((event: HttpEvent) =>
    spec.handle({
      // The authenticate and validateInput middlewares have established these types.
      caller: event.caller as CallerFor<A>,
      body: event.body as TBody,
      query: event.query as TQuery,
      req: event.req,
    }),
  );
  http(spec.name, toFrameworkHandler(spec.name, handler));
  return {
    name: spec.name,
    signature: 'http',
    visibility: spec.visibility ?? 'public',
    http: { method: spec.method, access: spec.access, body: spec.body, query: spec.query, docs: spec.docs },
  };
}
