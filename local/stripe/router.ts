import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFaultInjector } from './api-faults';
import { endpointOf, type SandboxRateLimiter } from './rate-limit';
import { authenticate, secretKeyRequired, type Credential } from './auth';
import { invalidRequest, parameterMissing, StripeApiError, toApiError } from './errors';
import { EventRecorder } from './events';
import { fingerprint, parseForm, type FormMap } from './form';
import { errorBody, readBody, sendJson } from './http-io';
import { IdempotencyStore, type IdempotentRequest } from './idempotency';
import { newId } from './objects';
import { Params } from './params';
import { matchRoute, type Route } from './routes';
import type { SandboxState } from './state';
import type { WebhookDispatcher } from './webhooks';

/** What the API handler works with. */
export interface ApiDependencies {
  state: SandboxState;
  idempotency: IdempotencyStore;
  webhooks: WebhookDispatcher;
  /** Reported in `Stripe-Version` when the client sends none, and in every event's `api_version`. */
  apiVersion: string;
  /** Failures injected on demand (off by default). */
  faults: ApiFaultInjector;
  /** Stripe's rate limits (off by default). */
  rateLimit: SandboxRateLimiter;
}

/** The answer to a request, before it is written. */
interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * Serves the Stripe API subset: parses the form-encoded parameters, authenticates, applies idempotency,
 * runs the endpoint and hands the events it created to webhook delivery.
 */
export function createApiHandler(
  deps: ApiDependencies,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const requestId = newId('req', 14);
    const headers: Record<string, string> = {
      'Request-Id': requestId,
      'Stripe-Version': header(request, 'stripe-version') ?? deps.apiVersion,
    };
    const limited = deps.rateLimit.check(
      endpointOf(request.method ?? 'GET', new URL(request.url ?? '/', 'http://sandbox.invalid').pathname),
      Date.now(),
    );
    const fault =
      limited === undefined ? deps.faults.draw() : { when: 'before-apply' as const, error: limited };
    if (fault !== undefined && 'timeoutMs' in fault && fault.when === 'before-apply') {
      // The request never reaches the API: its body is left unread.
      dropAfter(response, fault.timeoutMs);
      return;
    }
    const served =
      fault?.when === 'before-apply' && 'error' in fault
        ? Promise.reject(fault.error)
        : answer(deps, request, requestId);
    served.then(
      (result) => {
        // An after-apply fault: the request took effect, its answer is lost on the way back.
        if (fault === undefined)
          sendJson(response, result.status, result.body, { ...headers, ...result.headers });
        else if ('error' in fault) sendJson(response, fault.error.status, errorBody(fault.error), headers);
        else dropAfter(response, fault.timeoutMs);
      },
      (error: unknown) => {
        const failure = toApiError(error);
        sendJson(response, failure.status, errorBody(failure), { ...headers, ...failure.headers });
      },
    );
  };
}

/**
 * Answers nothing and drops the connection after `timeoutMs` (unless the client gave up first), as a
 * request that timed out looks to its client: it cannot tell whether the request was applied.
 */
function dropAfter(response: ServerResponse, timeoutMs: number): void {
  const timer = setTimeout(() => response.destroy(), timeoutMs).unref();
  response.once('close', () => clearTimeout(timer));
}

async function answer(deps: ApiDependencies, request: IncomingMessage, requestId: string): Promise<Answer> {
  const method = request.method ?? 'GET';
  const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
  const match = matchRoute(method, url.pathname);
  if (!match) {
    throw new StripeApiError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  }
  const form = parseForm(method === 'POST' ? await readBody(request) : url.search.slice(1));
  const credential = authenticate(header(request, 'authorization'), takeString(form, 'key'));
  authorize(deps, credential, match.route, match.id, form);

  const idempotencyKey = method === 'POST' ? header(request, 'idempotency-key') : undefined;
  if (idempotencyKey === undefined) return execute(deps, match.route, match.id, form, requestId, null);

  IdempotencyStore.check(idempotencyKey);
  const idempotent: IdempotentRequest = {
    endpoint: `${method} ${url.pathname}`,
    fingerprint: fingerprint(form),
  };
  const keyHeaders = { 'Idempotency-Key': idempotencyKey };
  const saved = deps.idempotency.lookup(credential.key, idempotencyKey, idempotent);
  if (saved) {
    return {
      status: saved.status,
      body: saved.body,
      headers: { ...keyHeaders, 'Idempotent-Replayed': 'true', 'Original-Request': saved.requestId },
    };
  }
  const result = execute(deps, match.route, match.id, form, requestId, idempotencyKey);
  deps.idempotency.save(credential.key, idempotencyKey, idempotent, {
    status: result.status,
    body: result.body,
    requestId,
  });
  return { ...result, headers: { ...result.headers, ...keyHeaders } };
}

/**
 * Validates and runs an endpoint. A validation error is thrown, so it is never saved for idempotency; once
 * the endpoint has begun executing, its outcome, error or not, is the answer to save, as Stripe does (a
 * declined card is replayed, a missing parameter is not).
 */
function execute(
  deps: ApiDependencies,
  route: Route,
  id: string,
  form: FormMap,
  requestId: string,
  idempotencyKey: string | null,
): Answer {
  const operation = route.prepare(new Params(form), id);
  const recorder = new EventRecorder(
    deps.state,
    { id: requestId, idempotencyKey },
    deps.apiVersion,
    deps.webhooks.endpointCount,
  );
  try {
    return { status: 200, body: JSON.stringify(operation(recorder), null, 2), headers: {} };
  } catch (error) {
    const failure = toApiError(error);
    return { status: failure.status, body: errorBody(failure), headers: { ...failure.headers } };
  } finally {
    deps.webhooks.dispatch(recorder.recorded);
  }
}

/**
 * A publishable key may only reach the PaymentIntent whose `client_secret` it presents, on the endpoints
 * Stripe.js uses; a secret key may present the client secret too, but it must then match.
 */
function authorize(
  deps: ApiDependencies,
  credential: Credential,
  route: Route,
  id: string,
  form: FormMap,
): void {
  const clientSecret = route.clientSecretAccess ? takeString(form, 'client_secret') : undefined;
  if (credential.kind === 'publishable' && !route.clientSecretAccess) throw secretKeyRequired();
  if (credential.kind === 'publishable' && clientSecret === undefined) {
    throw parameterMissing('client_secret');
  }
  if (clientSecret === undefined) return;
  const paymentIntent = deps.state.paymentIntent(id);
  if (paymentIntent.client_secret !== clientSecret) {
    throw invalidRequest(
      'The client_secret provided does not match the client_secret associated with the PaymentIntent.',
      { param: 'client_secret' },
    );
  }
}

/** Removes a string parameter that is about the request rather than the endpoint, returning its value. */
function takeString(form: FormMap, name: string): string | undefined {
  const value = form.get(name);
  if (typeof value !== 'string') return undefined;
  form.delete(name);
  return value;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
