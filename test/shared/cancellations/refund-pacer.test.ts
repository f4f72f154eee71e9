import { RefundPacer, rateLimitBackoffMs } from '../../../shared/cancellations/refund-pacer';

describe('RefundPacer', () => {
  it('lets a burst through at once, then spaces requests at the rate', () => {
    const pacer = new RefundPacer(10, 2);
    expect([pacer.claim(0), pacer.claim(0), pacer.claim(0), pacer.claim(0)]).toEqual([0, 0, 100, 200]);
  });

  it('never allows more than rate × seconds + burst requests in any span', () => {
    const pacer = new RefundPacer(25, 5);
    const sentAt = Array.from({ length: 200 }, () => pacer.claim(1_000));
    const inFirstSecond = sentAt.filter((wait) => wait < 1000).length;
    expect(inFirstSecond).toBeLessThanOrEqual(25 + 5);
    expect(sentAt.at(-1)).toBeCloseTo(((200 - 5) * 1000) / 25, 5);
  });

  it('refuses a rate or burst that cannot pace', () => {
    expect(() => new RefundPacer(0, 1)).toThrow();
    expect(() => new RefundPacer(5, 0)).toThrow();
  });
});

describe('rateLimitBackoffMs', () => {
  it('doubles from 250 ms up to 8 s', () => {
    expect([1, 2, 3, 6, 7, 20].map(rateLimitBackoffMs)).toEqual([250, 500, 1000, 8000, 8000, 8000]);
  });
});
