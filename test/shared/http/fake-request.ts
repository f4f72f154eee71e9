import type { Request } from '@google-cloud/functions-framework';

/**
 * The part of an Express request the middlewares read (method, headers, socket peer), for pipeline tests
 * without a server.
 */
export function fakeRequest(
  method: string,
  headers: Readonly<Record<string, string>> = {},
  remoteAddress = '192.0.2.10',
): Request {
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const fake = { method, get: (name: string) => byName.get(name.toLowerCase()), socket: { remoteAddress } };
  return fake as unknown as Request;
}
