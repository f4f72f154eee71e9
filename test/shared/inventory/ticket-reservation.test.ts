import fc from 'fast-check';
import { ConflictError } from '../../../shared/errors/domain-errors';
import { shardIndex } from '../../../shared/inventory/shard-layout';
import { allocate } from '../../../shared/inventory/ticket-reservation';
import { expectInventoryInvariants, remainingIn, usedIn } from './inventory-invariants';
import { InventoryModel } from './inventory-model';

type Command =
  | { kind: 'book'; quantity: number; random: number; seenEmpty: number }
  | { kind: 'release' | 'sell' | 'refund'; pick: number }
  | { kind: 'resize'; totalTickets: number; thresholdShare: number };

const commands: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      quantity: fc.integer({ min: 1, max: 12 }),
      random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      // A bit per shard: this process last saw it empty (true or stale). Hints never change conclusions.
      seenEmpty: fc.nat(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sell' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('resize' as const),
      totalTickets: fc.integer({ min: 1, max: 400 }),
      thresholdShare: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
);

const layouts = fc.integer({ min: 1, max: 400 }).chain((totalTickets) =>
  fc.record({
    totalTickets: fc.constant(totalTickets),
    surgeThreshold: fc.integer({ min: 1, max: totalTickets }),
  }),
);

const policies = fc.record({
  maxShardsPerPool: fc.integer({ min: 1, max: 16 }),
  ticketsPerShard: fc.integer({ min: 1, max: 32 }),
});

async function runBook(model: InventoryModel, command: Extract<Command, { kind: 'book' }>): Promise<void> {
  const baseBefore = remainingIn(model, 'base');
  const surgeBefore = remainingIn(model, 'surge');
  const seenEmpty = (id: string): boolean =>
    ((command.seenEmpty >> (shardIndex(id) + (id.startsWith('surge') ? 16 : 0))) & 1) === 1;
  const { reservation } = await model.book(command.quantity, () => command.random, seenEmpty);
  if (reservation === undefined) {
    expect(baseBefore + surgeBefore).toBeLessThan(command.quantity);
    return;
  }
  // A buyer never pays surge while base tickets remain, and gets every base ticket there is.
  expect(reservation.baseTickets).toBe(Math.min(command.quantity, baseBefore));
  expect(reservation.surgeTickets).toBe(command.quantity - reservation.baseTickets);
  expect(reservation.takes.reduce((sum, take) => sum + take.quantity, 0)).toBe(command.quantity);
}

function runResize(model: InventoryModel, command: Extract<Command, { kind: 'resize' }>): void {
  const { totalTickets } = command;
  const surgeThreshold = Math.max(1, Math.round(command.thresholdShare * totalTickets));
  const fits =
    usedIn(model, 'base') <= surgeThreshold && usedIn(model, 'surge') <= totalTickets - surgeThreshold;
  if (fits) {
    model.resize({ totalTickets, surgeThreshold });
  } else {
    expect(() => model.resize({ totalTickets, surgeThreshold })).toThrow(ConflictError);
  }
}

async function run(model: InventoryModel, command: Command): Promise<void> {
  if (command.kind === 'book') return runBook(model, command);
  if (command.kind === 'resize') return runResize(model, command);
  const wanted = command.kind === 'refund' ? 'sold' : 'held';
  const candidates = model.bookings.filter((booking) => booking.state === wanted);
  const booking = candidates[command.pick % Math.max(1, candidates.length)];
  if (booking === undefined) return;
  if (command.kind === 'release') model.release(booking);
  else if (command.kind === 'sell') model.sell(booking);
  else model.refund(booking);
}

describe('the reservation walk with releases, sales, refunds and resizes', () => {
  it('never oversells, never exceeds the base pool, never charges surge while base remains, loses no ticket', async () => {
    await fc.assert(
      fc.asyncProperty(
        layouts,
        policies,
        fc.array(commands, { maxLength: 80 }),
        async (layout, policy, steps) => {
          const model = new InventoryModel(layout, policy);
          for (const step of steps) {
            await run(model, step);
            expectInventoryInvariants(model);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sells exactly surgeThreshold tickets at base price when nothing is returned', async () => {
    await fc.assert(
      fc.asyncProperty(
        layouts,
        policies,
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (layout, policy, quantities, random) => {
          const model = new InventoryModel(layout, policy);
          let base = 0;
          let surge = 0;
          // Cycle through the quantities, then single tickets, until the event is sold out.
          for (
            let index = 0;
            usedIn(model, 'base') + usedIn(model, 'surge') < layout.totalTickets;
            index += 1
          ) {
            const quantity = quantities[index] ?? 1;
            const { reservation } = await model.book(quantity, () => random);
            base += reservation?.baseTickets ?? 0;
            surge += reservation?.surgeTickets ?? 0;
          }
          expect(base).toBe(layout.surgeThreshold);
          expect(surge).toBe(layout.totalTickets - layout.surgeThreshold);
        },
      ),
    );
  });
});

describe('reads made by a reservation', () => {
  it('reads a single base shard when it holds enough tickets', async () => {
    const model = new InventoryModel({ totalTickets: 1000, surgeThreshold: 500 });
    const { requests } = await model.book(4, () => 0.5);
    expect(requests).toEqual([['base-8']]);
  });

  it('reads the rest of a pool in one request when the first shard is short, then surge the same way', async () => {
    const model = new InventoryModel({ totalTickets: 64, surgeThreshold: 48 });
    // Three base shards of 16: leave 1, 2 and 0 tickets.
    await model.book(15, () => 0);
    await model.book(14, () => 0.5);
    await model.book(16, () => 0.9);
    const { requests, reservation } = await model.book(5, () => 0);
    expect(requests).toEqual([['base-0'], ['base-1', 'base-2'], ['surge-0']]);
    expect(reservation).toMatchObject({ baseTickets: 3, surgeTickets: 2 });
  });

  it('reads a pool whose every shard was seen empty in one request, and still takes base if any', async () => {
    const model = new InventoryModel({ totalTickets: 40, surgeThreshold: 32 });
    await model.book(10, () => 0);
    const { requests, reservation } = await model.book(
      3,
      () => 0,
      (id) => id.startsWith('base'),
    );
    expect(requests).toEqual([['base-0', 'base-1']]);
    expect(reservation?.baseTickets).toBe(3);
  });

  it('starts at shards not seen empty, at random places so that bookings spread out', async () => {
    const model = new InventoryModel({ totalTickets: 64, surgeThreshold: 64 });
    const seenEmpty = (id: string): boolean => id === 'base-0';
    expect((await model.book(1, () => 0, seenEmpty)).requests).toEqual([['base-1']]);
    expect((await model.book(1, () => 0.7, seenEmpty)).requests).toEqual([['base-3']]);
  });
});

describe('allocate', () => {
  it('refuses surge tickets unless every base shard was read', () => {
    const base = [{ id: 'base-0', pool: 'base' as const, capacity: 2, held: 2, sold: 0 }];
    const surge = [{ id: 'surge-0', pool: 'surge' as const, capacity: 5, held: 0, sold: 0 }];
    expect(allocate(1, base, surge, 2)).toBeUndefined();
    expect(allocate(1, base, surge, 1)).toEqual({
      takes: [{ shardId: 'surge-0', pool: 'surge', quantity: 1 }],
      baseTickets: 0,
      surgeTickets: 1,
    });
  });
});
