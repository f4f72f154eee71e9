import fc from 'fast-check';
import {
  buildSalesReport,
  cellKey,
  parseCellKey,
  refundByUnitPrice,
  ticketsByUnitPrice,
  utcDate,
  type SalesCell,
} from '../../../shared/sales/sales-report';

const counts = { held: 0, sold: 0 };

function cell(overrides: Partial<SalesCell>): SalesCell {
  return {
    currency: 'EUR',
    unitPrice: 2500,
    date: '2026-11-26',
    sold: 0,
    refunded: 0,
    refundedAmount: 0,
    ...overrides,
  };
}

describe('day bucketing and cell keys', () => {
  it('buckets by the UTC date, whatever the local offset of the instant', () => {
    expect(utcDate(new Date('2026-11-26T23:59:59.999Z'))).toBe('2026-11-26');
    expect(utcDate(new Date('2026-11-27T00:30:00+01:00'))).toBe('2026-11-26');
    expect(utcDate(new Date('2026-11-27T00:00:00Z'))).toBe('2026-11-27');
  });

  it('round-trips a cell key and refuses keys it cannot have made', () => {
    expect(cellKey('EUR', 2500, '2026-11-26')).toBe('EUR_2500_20261126');
    expect(parseCellKey('EUR_2500_20261126')).toEqual({
      currency: 'EUR',
      unitPrice: 2500,
      date: '2026-11-26',
    });
    expect(parseCellKey('eur_2500_20261126')).toBeUndefined();
    expect(parseCellKey('EUR_2500_2026-11-26')).toBeUndefined();
    expect(parseCellKey('EUR_x_20261126')).toBeUndefined();
  });

  it('counts the tickets of each unit price of a booking', () => {
    expect(ticketsByUnitPrice([2500, 2500, 4000])).toEqual(
      new Map([
        [2500, 2],
        [4000, 1],
      ]),
    );
  });
});

describe('refundByUnitPrice', () => {
  it('spreads a partial refund over the dearest tickets first, never beyond what they cost', () => {
    expect(refundByUnitPrice([2500, 2500, 4000], 0)).toEqual(
      new Map([
        [4000, 0],
        [2500, 0],
      ]),
    );
    expect(refundByUnitPrice([2500, 2500, 4000], 3000)).toEqual(
      new Map([
        [4000, 3000],
        [2500, 0],
      ]),
    );
    expect(refundByUnitPrice([2500, 2500, 4000], 6000)).toEqual(
      new Map([
        [4000, 4000],
        [2500, 2000],
      ]),
    );
    expect(refundByUnitPrice([2500, 2500, 4000], 9000)).toEqual(
      new Map([
        [4000, 4000],
        [2500, 5000],
      ]),
    );
  });

  it('sums to the amount and only grows with it (property)', () => {
    const prices = fc.array(fc.constantFrom(1000, 2500, 4000), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(prices, fc.nat(), fc.nat(), (unitPrices, a, b) => {
        const total = unitPrices.reduce((sum, price) => sum + price, 0);
        const [smaller, larger] = [a % (total + 1), b % (total + 1)].sort((x, y) => x - y) as [
          number,
          number,
        ];
        const before = refundByUnitPrice(unitPrices, smaller);
        const after = refundByUnitPrice(unitPrices, larger);
        expect([...after.values()].reduce((sum, share) => sum + share, 0)).toBe(larger);
        for (const [price, share] of after) expect(share).toBeGreaterThanOrEqual(before.get(price) ?? 0);
      }),
    );
  });
});

describe('buildSalesReport', () => {
  it('reports an event without sales with zeros in its own currency', () => {
    expect(
      buildSalesReport({
        eventId: 'e1',
        currency: 'EUR',
        counts: { held: 3, sold: 0 },
        checkedIn: 2,
        refundFailed: 1,
        cells: [],
      }),
    ).toEqual({
      eventId: 'e1',
      held: 3,
      sold: 0,
      refunded: 0,
      refundFailed: 1,
      checkedIn: 2,
      revenue: { total: 0, currency: 'EUR', byPrice: [], byDay: [] },
      revenueInOtherCurrencies: [],
    });
  });

  it('sums net of refunds per unit price and per sale day, in order', () => {
    const report = buildSalesReport({
      eventId: 'e1',
      currency: 'EUR',
      counts: { held: 1, sold: 6 },
      checkedIn: 2,
      refundFailed: 1,
      cells: [
        cell({ unitPrice: 4000, date: '2026-11-27', sold: 2, refunded: 1 }),
        cell({ unitPrice: 2500, date: '2026-11-27', sold: 1 }),
        cell({ unitPrice: 2500, date: '2026-11-26', sold: 3 }),
        // A price from before an update of the event's prices is a tier of its own.
        cell({ unitPrice: 2000, date: '2026-11-25', sold: 2, refunded: 2 }),
        cell({ unitPrice: 2000, date: '2026-11-26', sold: 1 }),
      ],
    });
    expect(report.refunded).toBe(3);
    expect(report.revenue).toEqual({
      total: 2000 + 4 * 2500 + 4000,
      currency: 'EUR',
      byPrice: [
        { unitPrice: 2000, tickets: 1, amount: 2000 },
        { unitPrice: 2500, tickets: 4, amount: 10000 },
        { unitPrice: 4000, tickets: 1, amount: 4000 },
      ],
      byDay: [
        { date: '2026-11-26', tickets: 4, amount: 2000 + 3 * 2500 },
        { date: '2026-11-27', tickets: 2, amount: 2500 + 4000 },
      ],
    });
  });

  it('takes partial refunds off the revenue of their price and day, keeping the tickets sold', () => {
    const report = buildSalesReport({
      eventId: 'e1',
      currency: 'EUR',
      counts,
      checkedIn: 0,
      refundFailed: 1,
      cells: [
        cell({ unitPrice: 4000, date: '2026-11-27', sold: 2, refundedAmount: 1500 }),
        cell({ unitPrice: 2500, date: '2026-11-26', sold: 1 }),
      ],
    });
    expect(report.refunded).toBe(0);
    expect(report.revenue).toEqual({
      total: 8000 - 1500 + 2500,
      currency: 'EUR',
      byPrice: [
        { unitPrice: 2500, tickets: 1, amount: 2500 },
        { unitPrice: 4000, tickets: 2, amount: 6500 },
      ],
      byDay: [
        { date: '2026-11-26', tickets: 1, amount: 2500 },
        { date: '2026-11-27', tickets: 2, amount: 6500 },
      ],
    });
  });

  it("keeps sales in a currency the event no longer has apart from the event's currency", () => {
    const report = buildSalesReport({
      eventId: 'e1',
      currency: 'USD',
      counts,
      checkedIn: 0,
      refundFailed: 1,
      cells: [cell({ currency: 'EUR', sold: 2 }), cell({ currency: 'USD', unitPrice: 3000, sold: 1 })],
    });
    expect(report.revenue.total).toBe(3000);
    expect(report.revenue.currency).toBe('USD');
    expect(report.revenueInOtherCurrencies).toEqual([
      {
        total: 5000,
        currency: 'EUR',
        byPrice: [{ unitPrice: 2500, tickets: 2, amount: 5000 }],
        byDay: [{ date: '2026-11-26', tickets: 2, amount: 5000 }],
      },
    ]);
  });

  it('agrees with adding up every sale and refund one by one (property)', () => {
    const sale = fc.record({
      unitPrice: fc.constantFrom(1000, 2500, 4000),
      date: fc.constantFrom('2026-11-25', '2026-11-26', '2026-12-01'),
      tickets: fc.integer({ min: 1, max: 5 }),
      refunded: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(sale, { maxLength: 40 }), (sales) => {
        // The ledger as the transactions leave it: one cell per price and day, refunds against the sale day.
        const cells = new Map<string, SalesCell>();
        for (const { unitPrice, date, tickets, refunded } of sales) {
          const key = cellKey('EUR', unitPrice, date);
          const before = cells.get(key) ?? cell({ unitPrice, date });
          cells.set(key, {
            ...before,
            sold: before.sold + tickets,
            refunded: before.refunded + (refunded ? tickets : 0),
          });
        }
        const report = buildSalesReport({
          eventId: 'e',
          currency: 'EUR',
          counts,
          checkedIn: 0,
          refundFailed: 1,
          cells: [...cells.values()],
        });

        const kept = sales.filter((entry) => !entry.refunded);
        const expectedTotal = kept.reduce((sum, entry) => sum + entry.tickets * entry.unitPrice, 0);
        const keptTickets = kept.reduce((sum, entry) => sum + entry.tickets, 0);
        expect(report.revenue.total).toBe(expectedTotal);
        expect(report.revenue.byDay.reduce((sum, day) => sum + day.amount, 0)).toBe(expectedTotal);
        expect(report.revenue.byPrice.reduce((sum, line) => sum + line.tickets, 0)).toBe(keptTickets);
        expect(report.revenue.byDay.reduce((sum, day) => sum + day.tickets, 0)).toBe(keptTickets);
        expect(report.refunded).toBe(
          sales.filter((entry) => entry.refunded).reduce((sum, e) => sum + e.tickets, 0),
        );
        for (const line of report.revenue.byPrice) {
          expect(line.tickets).toBeGreaterThan(0);
          expect(line.amount).toBe(line.unitPrice * line.tickets);
        }
        const dates = report.revenue.byDay.map((day) => day.date);
        expect(dates).toEqual([...dates].sort());
      }),
    );
  });
});
