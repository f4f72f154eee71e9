import { createEventManagerClient, type EventManagerClient } from '@event-manager/client';
import type { Middleware } from 'openapi-fetch';
import { localCloudEnvironment } from './environment';
import { checkedAnswer } from './http-client';

/** Checks every answer against the served OpenAPI document, as the raw `callFunction` does. */
const contractCheck: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    await checkedAnswer(schemaPath.slice(1), request.method, response.clone());
  },
};

/**
 * The typed client (`clients/typescript`) pointed at the local cloud, sending `token` when given: the way
 * integration tests call the API, so that every test proves the client too. Every answer is checked
 * against the served OpenAPI document and a mismatch fails the test.
 */
export function apiClient(token?: string): EventManagerClient {
  const client = createEventManagerClient({
    baseUrl: localCloudEnvironment().functionsUrl,
    ...(token === undefined ? {} : { token }),
  });
  client.use(contractCheck);
  return client;
}

/** Something that answered a call of the typed client. */
interface ClientAnswer<TData> {
  readonly data?: TData;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of an answer that must have `status`; throws (failing the test) with the problem otherwise.
 * For fixtures and tests whose subject lies further on.
 */
export function expectData<TData>(answer: ClientAnswer<TData>, status: number): TData {
  if (answer.response.status !== status || answer.data === undefined) {
    throw new Error(
      `${answer.response.url} answered ${answer.response.status}, expected ${status}: ${JSON.stringify(answer.error)}`,
    );
  }
  return answer.data;
}
