import { idempotencyRecordId, replayFor, requestHash } from '../../../shared/bookings/idempotency';

const now = new Date('2030-01-01T10:00:00Z');
const response = { status: 201, body: '{"booking":{}}' };

function record(hash: string, expiresAt: Date) {
  return { userId: 'u1', requestHash: hash, response, expiresAt };
}

describe('idempotency', () => {
  it('hashes the same body the same whatever its key order, and different bodies or functions differently', () => {
    const hash = requestHash('book', { eventId: 'e', quantity: 2 });
    expect(requestHash('book', { quantity: 2, eventId: 'e' })).toBe(hash);
    expect(requestHash('book', { eventId: 'e', quantity: 3 })).not.toBe(hash);
    expect(requestHash('pay', { eventId: 'e', quantity: 2 })).not.toBe(hash);
  });

  it('scopes record ids to the user', () => {
    expect(idempotencyRecordId('u1', 'k')).not.toBe(idempotencyRecordId('u2', 'k'));
    expect(idempotencyRecordId('u1', 'k')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('replays a live record for the same request, refuses it for another, ignores an expired one', () => {
    const hash = requestHash('book', { eventId: 'e', quantity: 1 });
    const live = record(hash, new Date('2030-01-02T00:00:00Z'));
    expect(replayFor(undefined, hash, now)).toBeUndefined();
    expect(replayFor(live, hash, now)).toEqual({ kind: 'replayed', response });
    expect(replayFor(live, 'other', now)).toEqual({ kind: 'idempotency-key-reused' });
    expect(replayFor(record('other', new Date('2030-01-01T09:00:00Z')), hash, now)).toBeUndefined();
  });
});
