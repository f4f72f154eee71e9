import { inventoryBalance, isBalanced, ticketDifference } from '../../../shared/inventory/inventory-balance';
import type { ShardState } from '../../../shared/inventory/shard-layout';

function shard(id: string, pool: 'base' | 'surge', held: number, sold: number): ShardState {
  return { id, pool, capacity: 10, held, sold };
}

describe('inventoryBalance', () => {
  it('balances when every held and sold ticket on the shards is in a live booking', () => {
    const balance = inventoryBalance(
      [shard('base-0', 'base', 3, 2), shard('base-1', 'base', 0, 0), shard('surge-0', 'surge', 1, 0)],
      [
        { state: 'held', takes: [{ shardId: 'base-0', pool: 'base', quantity: 2 }] },
        {
          state: 'held',
          takes: [
            { shardId: 'base-0', pool: 'base', quantity: 1 },
            { shardId: 'surge-0', pool: 'surge', quantity: 1 },
          ],
        },
        { state: 'sold', takes: [{ shardId: 'base-0', pool: 'base', quantity: 2 }] },
      ],
    );
    expect(balance.unbalancedShards).toEqual([]);
    expect(balance.pools).toEqual([
      { pool: 'base', held: 3, sold: 2, heldInBookings: 3, soldInBookings: 2 },
      { pool: 'surge', held: 1, sold: 0, heldInBookings: 1, soldInBookings: 0 },
    ]);
    expect(balance.pools.every(isBalanced)).toBe(true);
  });

  it('reports a shard that counts fewer tickets than its bookings took, as a negative difference', () => {
    const balance = inventoryBalance(
      [shard('base-0', 'base', 1, 0), shard('base-1', 'base', 2, 0)],
      [
        { state: 'held', takes: [{ shardId: 'base-0', pool: 'base', quantity: 2 }] },
        { state: 'held', takes: [{ shardId: 'base-1', pool: 'base', quantity: 2 }] },
      ],
    );
    expect(balance.unbalancedShards).toEqual([
      { shardId: 'base-0', pool: 'base', held: 1, sold: 0, heldInBookings: 2, soldInBookings: 0 },
    ]);
    const [base] = balance.pools;
    expect(base && ticketDifference(base)).toBe(-1);
  });

  it('tells held from sold: a sold ticket still counted as held is out of balance', () => {
    const balance = inventoryBalance(
      [shard('base-0', 'base', 1, 0)],
      [{ state: 'sold', takes: [{ shardId: 'base-0', pool: 'base', quantity: 1 }] }],
    );
    expect(balance.unbalancedShards).toHaveLength(1);
    const [base] = balance.pools;
    expect(base && ticketDifference(base)).toBe(0);
  });

  it('reports tickets that bookings took from a shard that does not exist', () => {
    const balance = inventoryBalance(
      [],
      [{ state: 'held', takes: [{ shardId: 'surge-9', pool: 'surge', quantity: 2 }] }],
    );
    expect(balance.unbalancedShards).toEqual([
      { shardId: 'surge-9', pool: 'surge', held: 0, sold: 0, heldInBookings: 2, soldInBookings: 0 },
    ]);
    expect(balance.pools[1]).toEqual({
      pool: 'surge',
      held: 0,
      sold: 0,
      heldInBookings: 2,
      soldInBookings: 0,
    });
  });
});
