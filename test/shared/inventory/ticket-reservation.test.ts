import fc from 'fast-check';
import { ConflictError } from '../../../shared/errors/domain-errors';
import { shardIndex } from '../../../shared/inventory/shard-layout';
import { allocate } from '../../../shared/inventory/ticket-reservation';
import { expectInventoryInvariants, remainingIn, usedIn } from './inventory-invariants';
import { InventoryModel } from './inventory-model';

type Command =
  | { kind: 'book'; quantity: number; random: number; baseLooksEmpty: boolean; seenEmpty: number }
  | { kind: 'release' | 'sell' | 'refund'; pick: number }
  | { kind: 'resize'; totalTickets: number; thresholdShare: number };

const commands: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      quantity: fc.integer({ min: 1, max: 12 }),
      random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      baseLooksEmpty: fc.boolean(),
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
  const seenEmpty = (id: string): number | undefined =>
    (command.seenEmpty >> (shardIndex(id) + (id.startsWith('surge') ? 16 : 0))) & 1 ? 0 : undefined;
  const { reservation } = await model.book(
    command.quantity,
    () => command.random,
    command.baseLooksEmpty,
    seenEmpty,
  );
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

describe('reads made by the walk', () => {
  it('reads a single base shard when it holds enough tickets', async () => {
    const model = new InventoryModel({ totalTickets: 1000, surgeThreshold: 500 });
    const { readIds } = await model.book(4, () => 0.5);
    expect(readIds).toEqual(['base-8']);
  });

  it('reads every base shard, then surge, once base is exhausted', async () => {
    const model = new InventoryModel({ totalTickets: 40, surgeThreshold: 32 });
    await model.book(10, () => 0);
    await model.book(10, () => 0);
    await model.book(10, () => 0);
    await model.book(2, () => 0);
    const { readIds, reservation } = await model.book(3, () => 0.99);
    expect(readIds).toEqual(['base-1', 'base-0', 'surge-0']);
    expect(reservation?.surgeTickets).toBe(3);
  });

  it('reads every base shard in one batch when the hint says base is empty, and still takes base if any', async () => {
    const model = new InventoryModel({ totalTickets: 40, surgeThreshold: 32 });
    await model.book(10, () => 0);
    const { readIds, reservation } = await model.book(3, () => 0, true);
    expect(readIds).toEqual(['base-0', 'base-1']);
    expect(reservation?.baseTickets).toBe(3);
  });
});

describe('reads guided by what the process last saw', () => {
  it('reads shards last seen empty last, in one batch, and only when the others are short', async () => {
    const model = new InventoryModel({ totalTickets: 64, surgeThreshold: 48 });
    await model.book(16, () => 0);
    const seenEmpty = (id: string): number | undefined =>
      id === 'base-0' || id === 'base-2' ? 0 : undefined;
    const enough = await model.book(2, () => 0, false, seenEmpty);
    expect(enough.readIds).toEqual(['base-1']);
    await model.book(16, () => 0.7);
    await model.book(14, () => 0.4);
    const short = await model.book(3, () => 0, false, seenEmpty);
    expect(short.readIds).toEqual(['base-1', 'base-0', 'base-2', 'surge-0']);
    expect(short.reservation?.surgeTickets).toBe(3);
  });
});

/** Books one after the other, each walk starting where its `random` value puts it. */
async function bookInTurn(
  model: InventoryModel,
  bookings: readonly (readonly [number, number])[],
): Promise<void> {
  for (const [random, quantity] of bookings) await model.book(quantity, () => random);
}

describe('walks at the end of a pool', () => {
  it('reads two shards one at a time, then, knowing nothing of the others, all of them in one request', async () => {
    const model = new InventoryModel({ totalTickets: 64, surgeThreshold: 64 });
    // Four shards of 16: leave 1, 1, 1 and 2 tickets.
    await bookInTurn(model, [
      [0, 15],
      [0.3, 15],
      [0.6, 15],
      [0.9, 14],
    ]);
    const { requests, reservation } = await model.book(4, () => 0);
    expect(requests).toEqual([['base-0'], ['base-1'], ['base-2', 'base-3']]);
    expect(reservation?.baseTickets).toBe(4);
  });

  it('reads after two single shards only those last seen with what is missing, in one request', async () => {
    const model = new InventoryModel({ totalTickets: 96, surgeThreshold: 96 });
    // Six shards of 16: leave 1, 1, 0, 2, 16 and 16 tickets.
    await bookInTurn(model, [
      [0, 15],
      [0.2, 15],
      [0.4, 16],
      [0.5, 14],
    ]);
    const lastSeen = (id: string): number | undefined =>
      ({ 'base-0': 1, 'base-1': 1, 'base-2': 0, 'base-3': 2 })[id];
    const { requests, reservation } = await model.book(4, () => 0, false, lastSeen);
    expect(requests).toEqual([['base-0'], ['base-1'], ['base-3']]);
    expect(reservation?.baseTickets).toBe(4);
  });

  it('starts walks of equally promising shards at random places, so that instances spread out', async () => {
    const model = new InventoryModel({ totalTickets: 64, surgeThreshold: 64 });
    const lastSeen = (): number => 16;
    const first = await model.book(1, () => 0, false, lastSeen);
    const second = await model.book(1, () => 0.5, false, lastSeen);
    expect(first.requests).toEqual([['base-0']]);
    expect(second.requests).toEqual([['base-2']]);
  });

  it('reads the shards last seen with enough tickets first, and shards probably in use last', async () => {
    const model = new InventoryModel({ totalTickets: 64, surgeThreshold: 64 });
    await model.book(15, () => 0);
    const lastSeen = (id: string): number | undefined => ({ 'base-1': 3, 'base-3': 12 })[id];
    const likelyBusy = (id: string): boolean => id === 'base-2';
    const toBase3 = await model.book(5, () => 0, false, lastSeen, likelyBusy);
    expect(toBase3.requests).toEqual([['base-3']]);
    const noOneKnown = (): undefined => undefined;
    const busyLast = await model.book(
      1,
      () => 0,
      false,
      noOneKnown,
      (id) => id !== 'base-0',
    );
    expect(busyLast.requests).toEqual([['base-0']]);
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
