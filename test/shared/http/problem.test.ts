import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitedError,
  ServiceUnavailableError,
  ValidationError,
} from '../../../shared/errors/domain-errors';
import {
  MalformedJsonError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../../shared/http/http-errors';
import { toProblem } from '../../../shared/http/problem';

describe('toProblem', () => {
  it.each([
    [new ValidationError('bad', []), 400, 'validation'],
    [new MalformedJsonError('bad'), 400, 'malformed-json'],
    [new AuthenticationError('who'), 401, 'unauthenticated'],
    [new PermissionDeniedError('no'), 403, 'forbidden'],
    [new NotFoundError('gone'), 404, 'not-found'],
    [new MethodNotAllowedError(['GET']), 405, 'method-not-allowed'],
    [new ConflictError('sold-out', 'none left'), 409, 'sold-out'],
    [new PayloadTooLargeError('big'), 413, 'payload-too-large'],
    [new UnsupportedMediaTypeError('xml'), 415, 'unsupported-media-type'],
    [new RateLimitedError('slow down', 7), 429, 'rate-limited'],
    [new ServiceUnavailableError('store down', 5), 503, 'unavailable'],
  ])('maps %p to %i', (error, status, slug) => {
    const problem = toProblem(error);
    expect(problem.status).toBe(status);
    expect(problem.body).toMatchObject({
      type: `https://errors.event-manager.dev/${slug}`,
      status,
      detail: error.message,
    });
  });

  it('carries field errors, Allow, Retry-After and WWW-Authenticate', () => {
    const issues = [{ path: 'name', message: 'Required' }];
    expect(toProblem(new ValidationError('bad', issues)).body.errors).toEqual(issues);
    expect(toProblem(new MethodNotAllowedError(['POST'])).headers).toEqual({ Allow: 'POST' });
    expect(toProblem(new RateLimitedError('slow', 3)).headers).toEqual({ 'Retry-After': '3' });
    expect(toProblem(new AuthenticationError('x')).headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
  });

  it('hides the details of unexpected errors behind a 500', () => {
    const problem = toProblem(new Error('connection string leaked'));
    expect(problem.status).toBe(500);
    expect(problem.body.detail).not.toContain('leaked');
  });
});
