import { CLAIM_MS, claimAfterBooking, claimedByAnother } from '../../../shared/inventory/shard-claims';

const NOW = 1_800_000_000_000;

describe('shard claims', () => {
  it('counts only live claims of other instances', () => {
    expect(claimedByAnother(undefined, 'a', NOW)).toBe(false);
    expect(claimedByAnother({ by: 'a', untilMs: NOW + 1 }, 'a', NOW)).toBe(false);
    expect(claimedByAnother({ by: 'b', untilMs: NOW + 1 }, 'a', NOW)).toBe(true);
    expect(claimedByAnother({ by: 'b', untilMs: NOW }, 'a', NOW)).toBe(false);
  });

  it('renews its own or a lapsed claim after a booking, and leaves a live claim of another instance', () => {
    const renewed = { by: 'a', untilMs: NOW + CLAIM_MS };
    expect(claimAfterBooking(undefined, 'a', NOW)).toEqual(renewed);
    expect(claimAfterBooking({ by: 'a', untilMs: NOW + 5 }, 'a', NOW)).toEqual(renewed);
    expect(claimAfterBooking({ by: 'b', untilMs: NOW - 5 }, 'a', NOW)).toEqual(renewed);
    const others = { by: 'b', untilMs: NOW + 5 };
    expect(claimAfterBooking(others, 'a', NOW)).toBe(others);
  });
});
