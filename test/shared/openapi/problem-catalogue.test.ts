import { PROBLEM_TYPE_BASE } from '../../../shared/http/problem';
import type { ProblemSlug } from '../../../shared/http/registered-function';
import { problemEntry } from '../../../shared/openapi/problem-catalogue';

/** The status of each problem type, as the status table of docs/api.md gives it. */
const CONTRACT_STATUS: Readonly<Record<ProblemSlug, number>> = {
  validation: 400,
  'malformed-json': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'already-registered': 409,
  'username-taken': 409,
  'stale-version': 409,
  'capacity-in-use': 409,
  'sold-out': 409,
  'event-started': 409,
  'event-cancelled': 409,
  'hold-limit-reached': 409,
  'invalid-state': 409,
  'idempotency-key-reused': 409,
  'request-in-progress': 409,
  'event-out-of-order': 409,
  'already-checked-in': 409,
  'ticket-void': 409,
  'invitation-pending': 409,
  'invitation-not-pending': 409,
  'last-admin': 409,
  'tickets-available': 409,
  'already-waiting': 409,
  'active-tickets': 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
};

describe('problem catalogue', () => {
  it.each(Object.entries(CONTRACT_STATUS))('describes %s as problem.ts answers it', (slug, status) => {
    const entry = problemEntry(slug as ProblemSlug);

    expect(entry).toMatchObject({ slug, type: `${PROBLEM_TYPE_BASE}${slug}`, status });
    expect(entry.title).not.toBe('');
  });

  it('documents the headers that come with a problem', () => {
    expect(Object.keys(problemEntry('method-not-allowed').headers)).toEqual(['Allow']);
    expect(Object.keys(problemEntry('unauthenticated').headers)).toEqual(['WWW-Authenticate']);
    expect(Object.keys(problemEntry('rate-limited').headers)).toEqual(['Retry-After']);
    expect(Object.keys(problemEntry('unavailable').headers)).toEqual(['Retry-After']);
    expect(problemEntry('sold-out').headers).toEqual({});
  });
});
