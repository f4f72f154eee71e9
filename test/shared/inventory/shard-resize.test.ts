import { ConflictError } from '../../../shared/errors/domain-errors';
import { remainingOf } from '../../../shared/inventory/shard-layout';
import { planResize } from '../../../shared/inventory/shard-resize';
import { expectInventoryInvariants } from './inventory-invariants';
import { InventoryModel } from './inventory-model';

async function modelWithBookings(): Promise<InventoryModel> {
  const model = new InventoryModel({ totalTickets: 100, surgeThreshold: 40 });
  await model.book(10, () => 0);
  await model.book(10, () => 0.99);
  const paid = model.bookings[0];
  if (paid !== undefined) model.sell(paid);
  return model;
}

describe('planResize', () => {
  it('grows the pools and spreads the new free tickets evenly over more shards', async () => {
    const model = await modelWithBookings();
    model.resize({ totalTickets: 1000, surgeThreshold: 400 });
    expectInventoryInvariants(model);
    const base = [...model.shards.values()].filter((shard) => shard.pool === 'base');
    expect(base).toHaveLength(16);
    const free = base.map(remainingOf);
    expect(Math.max(...free) - Math.min(...free)).toBeLessThanOrEqual(1);
  });

  it('shrinks to fewer shards but keeps every shard that holds tickets', async () => {
    const model = await modelWithBookings();
    model.resize({ totalTickets: 25, surgeThreshold: 20 });
    expectInventoryInvariants(model);
    expect([...model.shards.keys()].sort()).toEqual(['base-0', 'base-2', 'surge-0']);
  });

  it('refuses a totalTickets below the tickets held or sold', async () => {
    const model = await modelWithBookings();
    expect(() => model.resize({ totalTickets: 19, surgeThreshold: 19 })).toThrow(ConflictError);
  });

  it('refuses a surgeThreshold below the base tickets already held or sold', async () => {
    const model = await modelWithBookings();
    let thrown: unknown;
    try {
      model.resize({ totalTickets: 100, surgeThreshold: 19 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as ConflictError).kind).toBe('capacity-in-use');
  });

  it('removes an emptied surge pool entirely', () => {
    const model = new InventoryModel({ totalTickets: 50, surgeThreshold: 20 });
    const plan = planResize(
      [...model.shards.values()],
      { totalTickets: 20, surgeThreshold: 20 },
      model.policy,
    );
    expect(plan.shards.every((shard) => shard.pool === 'base')).toBe(true);
    expect(plan.removedIds).toEqual(['surge-0', 'surge-1']);
  });
});
