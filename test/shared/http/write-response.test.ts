import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import {
  problemResult,
  SECURITY_HEADERS,
  withHeaders,
  writeResult,
} from '../../../shared/http/write-response';
import { toProblem } from '../../../shared/http/problem';
import { AuthenticationError } from '../../../shared/errors/domain-errors';
import { EXPECTED_SECURITY_HEADERS } from '../../support/security-headers';

function written(result: Parameters<typeof writeResult>[1]): ServerResponse {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  writeResult(res, result);
  return res;
}

describe('writeResult', () => {
  it('sends the security headers of a JSON API on every answer', () => {
    for (const res of [
      written({ status: 200, body: { ok: true } }),
      written({ status: 204 }),
      written(problemResult(toProblem(new AuthenticationError('who?')))),
    ]) {
      expect(res.getHeaders()).toMatchObject(EXPECTED_SECURITY_HEADERS);
      expect(Object.keys(res.getHeaders()).some((name) => name.startsWith('access-control-'))).toBe(false);
    }
    expect(Object.keys(SECURITY_HEADERS)).toHaveLength(7);
  });

  it('keeps a problem’s own headers and media type', () => {
    const res = written(problemResult(toProblem(new AuthenticationError('who?'))));
    expect(res.statusCode).toBe(401);
    expect(res.getHeader('www-authenticate')).toBe('Bearer');
    expect(res.getHeader('content-type')).toBe('application/problem+json; charset=utf-8');
  });
});

describe('withHeaders', () => {
  it('adds headers, replacing those of the same name, and leaves the result alone when there are none', () => {
    const result = { status: 200, headers: { Vary: 'Accept', Allow: 'POST' } };
    expect(withHeaders(result, { Vary: 'Origin' }).headers).toEqual({ Vary: 'Origin', Allow: 'POST' });
    expect(withHeaders(result, {})).toBe(result);
  });
});
