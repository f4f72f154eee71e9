import fc from 'fast-check';
import { costsExactly, priceReservation } from '../../../shared/bookings/ticket-pricing';
import { InventoryModel } from '../inventory/inventory-model';

const prices = fc
  .record({ basePrice: fc.integer({ min: 0, max: 100_000 }), extra: fc.integer({ min: 0, max: 100_000 }) })
  .map(({ basePrice, extra }) => ({ basePrice, surgePrice: basePrice + extra, currency: 'EUR' }));

describe('priceReservation', () => {
  it('prices a booking that crosses the threshold ticket by ticket', () => {
    expect(
      priceReservation(
        { baseTickets: 2, surgeTickets: 1 },
        { basePrice: 1000, surgePrice: 1500, currency: 'EUR' },
      ),
    ).toEqual({ unitPrices: [1000, 1000, 1500], total: 3500, currency: 'EUR' });
  });

  it('charges the sum of the unit prices, one per ticket, never surge while base remained', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }).chain((total) =>
          fc.record({
            totalTickets: fc.constant(total),
            surgeThreshold: fc.integer({ min: 1, max: total }),
          }),
        ),
        prices,
        fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 10 }),
            random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
            returnIt: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        async (layout, eventPrices, bookings) => {
          const model = new InventoryModel(layout);
          let chargedAtBase = 0;
          for (const { quantity, random, returnIt } of bookings) {
            const baseOnSale = [...model.shards.values()]
              .filter((shard) => shard.pool === 'base')
              .reduce((sum, shard) => sum + shard.capacity - shard.held - shard.sold, 0);
            const { reservation } = await model.book(quantity, () => random);
            if (reservation === undefined) continue;
            const price = priceReservation(reservation, eventPrices);
            expect(price.unitPrices).toHaveLength(quantity);
            expect(price.total).toBe(price.unitPrices.reduce((sum, unit) => sum + unit, 0));
            const surgeCharged = price.unitPrices.slice(Math.min(quantity, baseOnSale));
            expect(surgeCharged.every((unit) => unit === eventPrices.surgePrice)).toBe(true);
            expect(price.unitPrices.slice(0, Math.min(quantity, baseOnSale))).toEqual(
              Array.from({ length: Math.min(quantity, baseOnSale) }, () => eventPrices.basePrice),
            );
            chargedAtBase += reservation.baseTickets;
            const booking = model.bookings.at(-1);
            if (returnIt && booking !== undefined) {
              model.release(booking);
              chargedAtBase -= reservation.baseTickets;
            }
          }
          expect(chargedAtBase).toBeLessThanOrEqual(layout.surgeThreshold);
        },
      ),
    );
  });
});

describe('costsExactly', () => {
  const today = { basePrice: 2500, surgePrice: 4000, currency: 'EUR' };
  const paid = { unitPrices: [2500, 4000], currency: 'EUR' };

  it('accepts seats of the same pools at the prices paid', () => {
    expect(costsExactly({ baseTickets: 1, surgeTickets: 1 }, today, paid)).toBe(true);
  });

  it('refuses a surge seat for a base price and the reverse, another price and another currency', () => {
    expect(costsExactly({ baseTickets: 0, surgeTickets: 2 }, today, paid)).toBe(false);
    expect(costsExactly({ baseTickets: 2, surgeTickets: 0 }, today, paid)).toBe(false);
    expect(costsExactly({ baseTickets: 1, surgeTickets: 1 }, { ...today, surgePrice: 4500 }, paid)).toBe(
      false,
    );
    expect(costsExactly({ baseTickets: 1, surgeTickets: 1 }, { ...today, currency: 'USD' }, paid)).toBe(
      false,
    );
  });
});
