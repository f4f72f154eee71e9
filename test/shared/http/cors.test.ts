import middy from '@middy/core';
import { corsOriginsVariable, corsResponseHeaders, preflightHeaders } from '../../../shared/http/cors';
import { NotFoundError } from '../../../shared/errors/domain-errors';
import type { HttpEvent, HttpResult } from '../../../shared/http/http-types';
import { allowedMethod } from '../../../shared/http/middleware/allowed-method';
import { cors } from '../../../shared/http/middleware/cors';
import { problemResponses } from '../../../shared/http/middleware/problem-responses';
import { fakeRequest } from './fake-request';

const APP = 'https://app.example.com';

describe('CORS_ALLOWED_ORIGINS', () => {
  it('parses a comma-separated list of origins', () => {
    expect(corsOriginsVariable.parse(`${APP}, http://localhost:3000,`)).toEqual([
      APP,
      'http://localhost:3000',
    ]);
    expect(corsOriginsVariable.parse('')).toEqual([]);
  });

  it.each([
    '*',
    'null',
    'app.example.com',
    `${APP}/`,
    `${APP}/path`,
    'https://App.example.com',
    'ftp://x.org',
  ])('refuses %s', (value) => {
    expect(corsOriginsVariable.safeParse(value).success).toBe(false);
  });
});

describe('corsResponseHeaders', () => {
  it('adds nothing while CORS is off', () => {
    expect(corsResponseHeaders([], APP)).toEqual({});
  });

  it('echoes an allowed origin, never *, and always varies on Origin', () => {
    expect(corsResponseHeaders([APP], APP)).toEqual({
      'Access-Control-Allow-Origin': APP,
      'Access-Control-Expose-Headers': 'Retry-After',
      Vary: 'Origin',
    });
    expect(corsResponseHeaders([APP], 'https://evil.example')).toEqual({ Vary: 'Origin' });
    expect(corsResponseHeaders([APP], undefined)).toEqual({ Vary: 'Origin' });
  });
});

describe('preflightHeaders', () => {
  const preflight = { method: 'OPTIONS', origin: APP, requestedMethod: 'POST' };

  it('allows the function’s method and the headers clients send, for allowed origins only', () => {
    expect(preflightHeaders([APP], preflight, 'POST')).toMatchObject({
      'Access-Control-Allow-Origin': APP,
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key',
      'Access-Control-Max-Age': '600',
    });
    expect(preflightHeaders([APP], { ...preflight, origin: 'https://evil.example' }, 'POST')).toBeUndefined();
    expect(preflightHeaders([], preflight, 'POST')).toBeUndefined();
  });

  it('only answers real preflights', () => {
    expect(preflightHeaders([APP], { ...preflight, requestedMethod: undefined }, 'POST')).toBeUndefined();
    expect(preflightHeaders([APP], { ...preflight, method: 'POST' }, 'POST')).toBeUndefined();
  });
});

describe('cors middleware', () => {
  function pipeline(origins: readonly string[], handle: () => Promise<HttpResult>) {
    const handler = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
      .use(cors('POST', () => origins))
      .use(problemResponses())
      .use(allowedMethod('POST'))
      .handler(handle);
    return (method: string, headers: Record<string, string>) =>
      handler({ req: fakeRequest(method, headers) }, {});
  }
  const ok = async () => ({ status: 200, body: {} });
  const preflight = { origin: APP, 'access-control-request-method': 'POST' };

  it('is off by default: preflights are 405 and answers carry no CORS headers', async () => {
    const call = pipeline([], ok);
    expect(await call('OPTIONS', preflight)).toMatchObject({ status: 405, headers: { Allow: 'POST' } });
    expect(await call('POST', { origin: APP })).toEqual({ status: 200, body: {} });
  });

  it('answers preflights from allowed origins with 204 before the method check', async () => {
    const call = pipeline([APP], ok);
    expect(await call('OPTIONS', preflight)).toMatchObject({
      status: 204,
      headers: { 'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Methods': 'POST' },
    });
    expect((await call('OPTIONS', { ...preflight, origin: 'https://evil.example' })).status).toBe(405);
  });

  it('adds the allowed origin to successes and problems alike', async () => {
    expect((await pipeline([APP], ok)('POST', { origin: APP })).headers).toMatchObject({
      'Access-Control-Allow-Origin': APP,
      Vary: 'Origin',
    });
    const failing = pipeline([APP], () => Promise.reject(new NotFoundError('gone')));
    expect(await failing('POST', { origin: APP })).toMatchObject({
      status: 404,
      headers: { 'Access-Control-Allow-Origin': APP, Vary: 'Origin' },
    });
  });
});
