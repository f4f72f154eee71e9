import { randomInt } from 'node:crypto';
import { startFunctionsProcess, type FunctionsProcess } from '../../../local/functions/child-process';
import { createSignedInUser } from '../../support/auth-users';
import { callFunction } from '../../support/http-client';
import { createRegisteredUser } from '../../support/roles';
import { EXPECTED_SECURITY_HEADERS } from '../../support/security-headers';

const APP = 'https://app.example.com';
const UNKNOWN_EVENT = { eventId: 'NoSuchEvent0000000000', quantity: 1 };

function expectSecurityHeaders(headers: Headers): void {
  expect(Object.fromEntries(headers)).toMatchObject(EXPECTED_SECURITY_HEADERS);
}

function corsHeaderNames(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => name.startsWith('access-control-'));
}

/** A client address of its own for each test: an IPv6 documentation /64 nobody else uses. */
function freshAddress(): string {
  return `2001:db8:${randomInt(0x10000).toString(16)}:${randomInt(0x10000).toString(16)}::1`;
}

describe('every function answer, with the default configuration', () => {
  it('carries the security headers on successes, problems and framework errors, and no CORS headers', async () => {
    const user = await createRegisteredUser();
    const success = await callFunction('myBookings', { token: user.idToken, headers: { Origin: APP } });
    const problem = await callFunction('book', { body: UNKNOWN_EVENT, headers: { Origin: APP } });
    const malformed = await callFunction('book', {
      rawBody: '{"eventId":',
      headers: { 'Content-Type': 'application/json', Origin: APP },
    });
    expect([success.status, problem.status, malformed.status]).toEqual([200, 401, 400]);
    for (const { headers } of [success, problem, malformed]) {
      expectSecurityHeaders(headers);
      expect(corsHeaderNames(headers)).toEqual([]);
    }
  });

  it('answers a CORS preflight 405, as CORS is off', async () => {
    const preflight = await callFunction('book', {
      method: 'OPTIONS',
      headers: { Origin: APP, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(405);
    expect(preflight.headers.get('allow')).toBe('POST');
    expect(corsHeaderNames(preflight.headers)).toEqual([]);
  });
});

describe('a functions process configured with small rate limits and a CORS origin', () => {
  let functions: FunctionsProcess;

  beforeAll(async () => {
    functions = await startFunctionsProcess({
      host: '127.0.0.1',
      port: 0,
      env: {
        RATE_LIMITS: JSON.stringify({ book: { requests: 2, windowSeconds: 60 } }),
        RATE_LIMIT_PER_IP: JSON.stringify({ requests: 2, windowSeconds: 60 }),
        CORS_ALLOWED_ORIGINS: APP,
      },
      log: () => undefined,
    });
  }, 90_000);

  afterAll(() => functions.stop());

  function call(name: string, init: { method?: string; headers?: Record<string, string>; body?: string }) {
    const headers = new Headers(init.headers);
    if (init.body !== undefined && !headers.has('content-type'))
      headers.set('content-type', 'application/json');
    return fetch(`${functions.url}/${name}`, { method: init.method ?? 'POST', headers, body: init.body });
  }

  const book = (headers: Record<string, string>) =>
    call('book', { headers, body: JSON.stringify(UNKNOWN_EVENT) });
  const bearer = (token: string, address: string) => ({
    Authorization: `Bearer ${token}`,
    'X-Forwarded-For': address,
  });

  it('answers 429 problem+json with Retry-After once a user exceeds the limit', async () => {
    const user = await createRegisteredUser();
    const address = freshAddress();
    expect((await book(bearer(user.idToken, address))).status).toBe(404);
    expect((await book(bearer(user.idToken, address))).status).toBe(404);
    const refused = await book(bearer(user.idToken, address));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ type: 'https://errors.event-manager.dev/rate-limited' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expectSecurityHeaders(refused.headers);

    const other = await createRegisteredUser();
    expect((await book(bearer(other.idToken, address))).status).toBe(404);
  });

  it('limits refused credentials per client address, as the front end reports it', async () => {
    const address = freshAddress();
    const spoofed = (hop: string) => ({ ...bearer('forged-token', `${hop}, ${address}`) });
    expect((await book(spoofed('198.51.100.1'))).status).toBe(401);
    expect((await book(spoofed('198.51.100.2'))).status).toBe(401);
    const refused = await book(spoofed('198.51.100.3'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const unregistered = await createSignedInUser();
    expect((await book(bearer(unregistered.idToken, address))).status).toBe(429);
    expect((await book(bearer('forged-token', freshAddress()))).status).toBe(401);
    const user = await createRegisteredUser();
    expect((await book(bearer(user.idToken, address))).status).toBe(404);
    for (let call = 0; call < 3; call += 1) {
      expect((await book({ 'X-Forwarded-For': address })).status).toBe(401);
    }
  });

  it('answers preflights from the configured origin and lets it read every answer', async () => {
    const preflight = await call('book', {
      method: 'OPTIONS',
      headers: {
        Origin: APP,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'Authorization, Content-Type, Idempotency-Key',
    });
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

    const foreign = await call('book', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(foreign.status).toBe(405);
    expect(corsHeaderNames(foreign.headers)).toEqual([]);

    const problem = await book({ Origin: APP });
    const malformed = await call('book', { headers: { Origin: APP }, body: '{"eventId":' });
    expect([problem.status, malformed.status]).toEqual([401, 400]);
    for (const { headers } of [problem, malformed]) {
      expect(headers.get('access-control-allow-origin')).toBe(APP);
      expect(headers.get('vary')).toContain('Origin');
      expectSecurityHeaders(headers);
    }
    expect(
      (await book({ Origin: 'https://evil.example' })).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });
});
