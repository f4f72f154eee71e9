import { hasStarted, startsAtIssues, tierIssues } from '../../../shared/events/event-rules';

const now = new Date('2030-06-01T12:00:00Z');
const tiers = { totalTickets: 100, surgeThreshold: 50, basePrice: 1000, surgePrice: 1500 };

describe('startsAtIssues', () => {
  it('accepts a future start', () => {
    expect(startsAtIssues(new Date('2030-06-01T12:00:01Z'), now)).toEqual([]);
  });

  it.each([
    ['now', now],
    ['the past', new Date('2030-05-01T00:00:00Z')],
    ['more than five years ahead', new Date('2035-06-01T12:00:01Z')],
  ])('rejects a start at %s', (_, startsAt) => {
    expect(startsAtIssues(startsAt, now)).toEqual([{ path: 'startsAt', message: expect.any(String) }]);
  });
});

describe('tierIssues', () => {
  it('accepts consistent tiers, including equal prices and a threshold of all tickets', () => {
    expect(tierIssues(tiers)).toEqual([]);
    expect(tierIssues({ ...tiers, surgeThreshold: 100, surgePrice: 1000 })).toEqual([]);
  });

  it('names surgeThreshold and surgePrice when they break their rules', () => {
    expect(tierIssues({ ...tiers, surgeThreshold: 101, surgePrice: 999 })).toEqual([
      { path: 'surgeThreshold', message: 'Must not exceed totalTickets (100).' },
      { path: 'surgePrice', message: 'Must be at least basePrice (1000).' },
    ]);
  });

  it('names the field an update changed when only that one breaks the rule', () => {
    const changedTotal = { ...tiers, totalTickets: 40 };
    expect(tierIssues(changedTotal, new Set(['totalTickets']))).toEqual([
      { path: 'totalTickets', message: 'Must be at least surgeThreshold (50).' },
    ]);
    expect(tierIssues(changedTotal, new Set(['totalTickets', 'surgeThreshold']))).toEqual([
      { path: 'surgeThreshold', message: expect.any(String) },
    ]);
    expect(tierIssues({ ...tiers, basePrice: 2000 }, new Set(['basePrice']))).toEqual([
      { path: 'basePrice', message: 'Must not exceed surgePrice (1500).' },
    ]);
  });
});

describe('hasStarted', () => {
  it('is true from the start time on', () => {
    expect(hasStarted({ startsAt: now }, now)).toBe(true);
    expect(hasStarted({ startsAt: new Date(now.getTime() + 1) }, now)).toBe(false);
  });
});
