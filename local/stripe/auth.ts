import { StripeApiError } from './errors';

/** The API key a request was made with: a secret key, or a publishable key (client-side confirmation). */
export interface Credential {
  kind: 'secret' | 'publishable';
  key: string;
}

const AUTHENTICATE = { 'WWW-Authenticate': 'Basic realm="Stripe"' };

/**
 * The credential of a request, from `Authorization: Bearer <key>` (how the SDK sends it), HTTP Basic with the
 * key as user name (how curl users send it) or, when neither is there, the `key` parameter (how Stripe.js
 * sends a publishable key). Any test-mode key is valid: the sandbox has one account and no real keys.
 */
export function authenticate(authorization: string | undefined, keyParam: string | undefined): Credential {
  const key = keyFromHeader(authorization) ?? keyParam;
  if (key === undefined || key === '') {
    throw unauthorized(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (/^(sk|rk)_test_\S+$/.test(key)) return { kind: 'secret', key };
  if (/^pk_test_\S+$/.test(key)) return { kind: 'publishable', key };
  throw unauthorized(`Invalid API Key provided: ${mask(key)}`);
}

/** The answer to a publishable key on an endpoint that needs the secret key. */
export function secretKeyRequired(): StripeApiError {
  return unauthorized(
    'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
  );
}

function keyFromHeader(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const [scheme = '', credentials = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return credentials;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    return decoded.split(':', 1)[0];
  }
  return '';
}

function mask(key: string): string {
  if (key.length <= 12) return '*'.repeat(key.length);
  return `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}

function unauthorized(message: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', message }, AUTHENTICATE);
}
