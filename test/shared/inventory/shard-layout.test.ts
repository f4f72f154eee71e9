import fc from 'fast-check';
import {
  DEFAULT_SHARDING_POLICY,
  initialShards,
  remainingOf,
  shardCountFor,
  splitEvenly,
} from '../../../shared/inventory/shard-layout';

const layouts = fc.integer({ min: 1, max: 5000 }).chain((totalTickets) =>
  fc.record({
    totalTickets: fc.constant(totalTickets),
    surgeThreshold: fc.integer({ min: 1, max: totalTickets }),
  }),
);

describe('splitEvenly', () => {
  it('splits a total into parts that differ by at most one and add up to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 64 }), (total, parts) => {
        const shares = splitEvenly(total, parts);
        expect(shares).toHaveLength(parts);
        expect(shares.reduce((sum, share) => sum + share, 0)).toBe(total);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('shardCountFor', () => {
  it('gives one shard per 16 tickets up to 16 shards, and none to an empty pool', () => {
    expect(shardCountFor(0, DEFAULT_SHARDING_POLICY)).toBe(0);
    expect(shardCountFor(1, DEFAULT_SHARDING_POLICY)).toBe(1);
    expect(shardCountFor(16, DEFAULT_SHARDING_POLICY)).toBe(1);
    expect(shardCountFor(17, DEFAULT_SHARDING_POLICY)).toBe(2);
    expect(shardCountFor(256, DEFAULT_SHARDING_POLICY)).toBe(16);
    expect(shardCountFor(50_000, DEFAULT_SHARDING_POLICY)).toBe(16);
  });

  it('never makes more shards than tickets', () => {
    const policy = { maxShardsPerPool: 16, ticketsPerShard: 1 };
    expect(shardCountFor(3, policy)).toBe(3);
  });
});

describe('initialShards', () => {
  it('puts exactly surgeThreshold tickets in base shards and the rest in surge shards, all free', () => {
    fc.assert(
      fc.property(layouts, (layout) => {
        const shards = initialShards(layout, DEFAULT_SHARDING_POLICY);
        const capacityOf = (pool: string): number =>
          shards.filter((shard) => shard.pool === pool).reduce((sum, shard) => sum + shard.capacity, 0);
        expect(capacityOf('base')).toBe(layout.surgeThreshold);
        expect(capacityOf('surge')).toBe(layout.totalTickets - layout.surgeThreshold);
        expect(shards.every((shard) => shard.capacity > 0 && remainingOf(shard) === shard.capacity)).toBe(
          true,
        );
        expect(new Set(shards.map((shard) => shard.id)).size).toBe(shards.length);
      }),
    );
  });

  it('names shards by pool and number', () => {
    const ids = initialShards({ totalTickets: 50, surgeThreshold: 20 }, DEFAULT_SHARDING_POLICY).map(
      (shard) => `${shard.id}:${shard.capacity}`,
    );
    expect(ids).toEqual(['base-0:10', 'base-1:10', 'surge-0:15', 'surge-1:15']);
  });

  it('rejects layouts the contract forbids', () => {
    expect(() => initialShards({ totalTickets: 10, surgeThreshold: 0 }, DEFAULT_SHARDING_POLICY)).toThrow(
      RangeError,
    );
    expect(() => initialShards({ totalTickets: 10, surgeThreshold: 11 }, DEFAULT_SHARDING_POLICY)).toThrow(
      RangeError,
    );
    expect(() => initialShards({ totalTickets: 1.5, surgeThreshold: 1 }, DEFAULT_SHARDING_POLICY)).toThrow(
      RangeError,
    );
  });
});
