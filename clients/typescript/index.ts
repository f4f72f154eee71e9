import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

/** An event as the API answers it. */
export type Event = components['schemas']['Event'];
/** A booking as the API answers it; a confirmed one carries `tickets` once they are issued. */
export type Booking = components['schemas']['Booking'];
/** A payment of `POST /pay`: hand its `clientSecret` to the Stripe payment sheet. */
export type Payment = components['schemas']['Payment'];
/** A waitlist entry; `position` only while `waiting`, `bookingId` (the offer to pay) once `offered`. */
export type WaitlistEntry = components['schemas']['WaitlistEntry'];
/** An `application/problem+json` error answer; branch on `type`. */
export type Problem = components['schemas']['Problem'];
/** The caller's profile (`user`, and `company` for admins). */
export type Profile = components['schemas']['Profile'];

/**
 * The Firebase ID token to send as `Authorization: Bearer …`: a fixed token, or a function that gives the
 * current one (e.g. `() => auth.currentUser?.getIdToken()`, which refreshes it when it is about to expire).
 * `undefined` sends no header.
 */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

/** Options of {@link createEventManagerClient}: openapi-fetch's options plus the token. */
export interface EventManagerClientOptions extends ClientOptions {
  /**
   * Where the functions answer: `http://127.0.0.1:5001` for `npm start`, or the host of the deployed
   * functions (`https://<region>-<project>.cloudfunctions.net`); each operation appends `/<functionName>`.
   */
  baseUrl: string;
  token?: TokenSource;
}

/** The typed client: `client.GET('/getEvent', { params: { query: { id } } })`, `client.POST('/book', { body })`. */
export type EventManagerClient = Client<paths>;

/**
 * Creates a typed client of the Event Manager API (openapi-fetch over the generated `schema.d.ts`). Every
 * call resolves to `{ data, error, response }`: `data` for 2xx answers, `error` (a problem) otherwise.
 */
export function createEventManagerClient(options: EventManagerClientOptions): EventManagerClient {
  const { token, ...clientOptions } = options;
  const client = createClient<paths>(clientOptions);
  if (token !== undefined) client.use(bearerToken(token));
  return client;
}

function bearerToken(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      const current = typeof token === 'string' ? token : await token();
      if (current !== undefined) request.headers.set('Authorization', `Bearer ${current}`);
      return request;
    },
  };
}
