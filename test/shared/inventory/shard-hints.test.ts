import { ShardHints } from '../../../shared/inventory/shard-hints';
import type { ShardState } from '../../../shared/inventory/shard-layout';

const SHARD_IDS = { base: ['base-0', 'base-1', 'base-2'], surge: ['surge-0'] };

function shard(id: string, remaining: number): ShardState {
  return { id, pool: id.startsWith('base') ? 'base' : 'surge', capacity: 16, held: 16 - remaining, sold: 0 };
}

describe('ShardHints', () => {
  let nowMs = 1_000_000;
  const clock = (): number => nowMs;

  it('picks at random among shards not seen empty, and none once all were', () => {
    const hints = new ShardHints(() => 0.99, clock);
    expect(hints.pick('e', SHARD_IDS.base)).toBe('base-2');
    hints.observe('e', SHARD_IDS, [shard('base-1', 0), shard('base-2', 0)]);
    expect(hints.pick('e', SHARD_IDS.base)).toBe('base-0');
    hints.observe('e', SHARD_IDS, [shard('base-0', 0)]);
    expect(hints.pick('e', SHARD_IDS.base)).toBeUndefined();
  });

  it('prefers a shard no booking of this process picked a moment ago, until it is free again', () => {
    const hints = new ShardHints(() => 0, clock);
    hints.observe('e', SHARD_IDS, []);
    expect([0, 1, 2, 3].map(() => hints.pick('e', SHARD_IDS.base))).toEqual([
      'base-0',
      'base-1',
      'base-2',
      'base-0',
    ]);
    nowMs += 1_000;
    expect(hints.pick('e', SHARD_IDS.base)).toBe('base-0');
  });

  it('says an event seems to have tickets only after seeing enough on one shard in the last 30 s', () => {
    const hints = new ShardHints(() => 0, clock);
    expect(hints.seemsToHave('e', 1)).toBe(false);
    hints.observe('e', SHARD_IDS, [shard('base-0', 3), shard('base-1', 1)]);
    expect(hints.seemsToHave('e', 3)).toBe(true);
    expect(hints.seemsToHave('e', 4)).toBe(false);
    nowMs += 30_001;
    expect(hints.seemsToHave('e', 1)).toBe(false);
  });

  it('keeps the shard list it last read, and forgets the event it learned of first beyond 1,000', () => {
    const hints = new ShardHints(() => 0, clock);
    for (let index = 0; index <= 1_000; index += 1) hints.observe(`e${index}`, SHARD_IDS, []);
    expect(hints.shardIdsOf('e0')).toBeUndefined();
    expect(hints.shardIdsOf('e1000')).toEqual(SHARD_IDS);
  });
});
