import { holdLimitRefusal, liveHolds, ticketsOnHold } from '../../../shared/bookings/hold-limit';

const now = new Date('2030-01-01T10:00:00Z');
const later = new Date('2030-01-01T10:10:00Z');
const earlier = new Date('2030-01-01T09:59:59Z');
const holds = { a: { quantity: 3, expiresAt: later }, b: { quantity: 4, expiresAt: earlier } };

describe('hold limit', () => {
  it('counts only holds whose payment window is open', () => {
    expect(ticketsOnHold(holds, now)).toBe(3);
    expect(Object.keys(liveHolds(holds, now))).toEqual(['a']);
  });

  it('allows up to maxTicketsPerBooking tickets on hold per user and event', () => {
    expect(holdLimitRefusal(holds, now, 7, 10)).toBeUndefined();
    expect(holdLimitRefusal(holds, now, 8, 10)).toEqual({
      kind: 'hold-limit-reached',
      held: 3,
      maxTicketsPerBooking: 10,
    });
  });
});
