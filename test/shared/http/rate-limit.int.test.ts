import { adminFirestore } from '../../support/firestore-admin';
import { setCommitFaults } from '../../support/firestore-faults';
import { callFunction } from '../../support/http-client';
import { createRegisteredUser, type RoleUser } from '../../support/roles';
import { RATE_LIMIT_COLLECTION } from '../../../shared/rate-limits/firestore-rate-limit-store';
import { DEFAULT_RATE_LIMITS } from '../../../shared/rate-limits/rate-limit-policy';
import { rateLimitKey } from '../../../shared/rate-limits/rate-limiter';

/** A booking id of the right shape that no booking has: an admitted call answers 404, a refused one 429. */
const NO_SUCH_BOOKING = 'AAAAAAAAAAAAAAAAAAAA';

function cancel(user: RoleUser) {
  return callFunction('cancelBooking', { token: user.idToken, body: { bookingId: NO_SUCH_BOOKING } });
}

function counterOf(user: RoleUser) {
  return adminFirestore()
    .collection(RATE_LIMIT_COLLECTION)
    .doc(rateLimitKey('cancelBooking', `user:${user.uid}`));
}

/*
 * The functions of the local cloud run with the default limits: `cancelBooking` admits 20 calls per user
 * per minute. Each caller's counter is one document, so a flood from one user contends on it.
 */
describe('rate limit against the local Firestore', () => {
  const limit = DEFAULT_RATE_LIMITS.perUser.cancelBooking.requests;

  afterEach(() => setCommitFaults([]));

  it('admits no more calls than the limit from a flood of concurrent calls by one user', async () => {
    const user = await createRegisteredUser();
    const responses = await Promise.all(Array.from({ length: 3 * limit }, () => cancel(user)));
    const statuses = responses.map((response) => response.status);
    const admitted = statuses.filter((status) => status === 404).length;
    expect(statuses.filter((status) => status !== 404 && status !== 429)).toEqual([]);
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(limit);
    expect((await counterOf(user).get()).get('count')).toBe(admitted);
    for (const response of responses.filter((refused) => refused.status === 429)) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  }, 60_000);

  it('refuses with 429 and Retry-After, never admits, when the counter cannot be written for contention', async () => {
    const user = await createRegisteredUser();
    await setCommitFaults([
      {
        code: 'ABORTED',
        when: 'before-apply',
        documentPrefix: `${RATE_LIMIT_COLLECTION}/${counterOf(user).id}`,
        fraction: 1,
      },
    ]);
    const responses = await Promise.all(Array.from({ length: 3 }, () => cancel(user)));
    for (const response of responses) {
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body).toMatchObject({ type: 'https://errors.event-manager.dev/rate-limited' });
    }
    expect((await counterOf(user).get()).exists).toBe(false);
  }, 60_000);
});
