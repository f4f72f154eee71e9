import { ShardScheduler } from '../../../shared/inventory/shard-scheduler';
import { CLAIM_MS, type ShardClaim } from '../../../shared/inventory/shard-claims';
import type { ShardState } from '../../../shared/inventory/shard-layout';

const SHARD_IDS = { base: ['base-0', 'base-1', 'base-2'], surge: ['surge-0'] };

const INSTANCE = 'instance-a';

function shard(id: string, remaining: number, claim?: ShardClaim): ShardState {
  const pool = id.startsWith('base') ? 'base' : 'surge';
  return { id, pool, capacity: 10, held: 10 - remaining, sold: 0, ...(claim ? { claim } : {}) };
}

/** A live claim of another instance. */
function claimedByB(): ShardClaim {
  return { by: 'instance-b', untilMs: Date.now() + 60_000 };
}

/** A scheduler that has learned the layout from a first booking, which stays in flight. */
async function learnedScheduler(maxWaitMs = 1_000) {
  let next = 0;
  const scheduler = new ShardScheduler(() => (next++ % 10) / 10, maxWaitMs, INSTANCE);
  const scout = await scheduler.acquire('event', 1);
  scheduler.observe('event', SHARD_IDS, []);
  return { scheduler, scout };
}

/** A learned scheduler whose bookings have not lost a conflict for long enough to use every shard at once. */
async function openScheduler() {
  const { scheduler, scout } = await learnedScheduler();
  for (let round = 0; round < 2; round += 1) {
    const slots = await Promise.all([0, 1].map(() => scheduler.acquire('event', 1)));
    for (const slot of slots) slot.release();
  }
  return { scheduler, scout };
}

/** Whether the acquisition is still waiting once pending callbacks have run. */
async function isWaiting(acquisition: Promise<unknown>): Promise<boolean> {
  let waiting = true;
  void acquisition.then(() => (waiting = false));
  await new Promise((resolve) => setImmediate(resolve));
  return waiting;
}

describe('ShardScheduler', () => {
  it('lets the first booking of an event go alone and the others wait until it has learned the shards', async () => {
    const scheduler = new ShardScheduler(() => 0, 1_000, INSTANCE);
    const scout = await scheduler.acquire('event', 1);
    expect(scout.shardId).toBeUndefined();
    const waiting = scheduler.acquire('event', 1);
    scheduler.observe('event', SHARD_IDS, []);
    expect((await waiting).shardId).toBe('base-0');
  });

  it('gives concurrent bookings different shards and makes one more wait for a release', async () => {
    const { scheduler } = await openScheduler();
    const slots = await Promise.all([0, 1, 2].map(() => scheduler.acquire('event', 1)));
    expect(new Set(slots.map((slot) => slot.shardId))).toEqual(new Set(SHARD_IDS.base));
    let fourth: string | undefined = 'pending';
    const waiting = scheduler.acquire('event', 1).then((slot) => {
      fourth = slot.shardId;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(fourth).toBe('pending');
    slots[1]?.release();
    await waiting;
    expect(fourth).toBe(slots[1]?.shardId);
  });

  it('prefers shards last seen with enough tickets and skips shards seen empty', async () => {
    const { scheduler } = await learnedScheduler();
    scheduler.observe('event', SHARD_IDS, [shard('base-0', 0), shard('base-1', 1), shard('base-2', 5)]);
    expect((await scheduler.acquire('event', 3)).shardId).toBe('base-2');
    expect((await scheduler.acquire('event', 3)).shardId).toBe('base-1');
  });

  it('moves to the surge pool once every base shard was seen empty, and says the base pool seems empty', async () => {
    const { scheduler } = await learnedScheduler();
    scheduler.observe(
      'event',
      SHARD_IDS,
      SHARD_IDS.base.map((id) => shard(id, 0)),
    );
    expect(scheduler.seemsEmpty('event', 'base')).toBe(true);
    expect(scheduler.seemsEmpty('event', 'surge')).toBe(false);
    const slot = await scheduler.acquire('event', 1);
    expect(slot).toMatchObject({ pool: 'surge', shardId: 'surge-0' });
  });

  it('starts in the surge pool when told the base pool looks empty', async () => {
    const { scheduler } = await learnedScheduler();
    expect(await scheduler.acquire('event', 1, true)).toMatchObject({ pool: 'surge', shardId: 'surge-0' });
    expect(await scheduler.acquire('event', 1)).toMatchObject({ pool: 'base' });
  });

  it('does not wait, and starts anywhere, when every shard of the event was seen empty', async () => {
    const { scheduler } = await learnedScheduler();
    scheduler.observe(
      'event',
      SHARD_IDS,
      [...SHARD_IDS.base, ...SHARD_IDS.surge].map((id) => shard(id, 0)),
    );
    expect(await scheduler.acquire('event', 1)).toMatchObject({ pool: 'surge', shardId: undefined });
    // Confirming a sell-out takes no ticket: the next booking does not wait for the first.
    expect(await isWaiting(scheduler.acquire('event', 1))).toBe(false);
  });

  it('lets the bookings queued behind a walk all go once it found the event sold out', async () => {
    const { scheduler } = await learnedScheduler();
    scheduler.observe('event', SHARD_IDS, [...SHARD_IDS.base.map((id) => shard(id, 0)), shard('surge-0', 1)]);
    const walker = await scheduler.acquire('event', 2);
    const queued = [scheduler.acquire('event', 2), scheduler.acquire('event', 2)];
    expect(await isWaiting(queued[0] ?? Promise.resolve())).toBe(true);
    scheduler.observe('event', SHARD_IDS, [shard('surge-0', 0)]);
    walker.release();
    expect(await isWaiting(Promise.all(queued))).toBe(false);
    expect((await Promise.all(queued)).map((slot) => slot.shardId)).toEqual([undefined, undefined]);
  });

  it('runs one walk at a time: a booking no free shard seems to have enough for waits while another walks', async () => {
    const { scheduler } = await learnedScheduler();
    scheduler.observe(
      'event',
      SHARD_IDS,
      SHARD_IDS.base.map((id) => shard(id, 1)),
    );
    const walker = await scheduler.acquire('event', 2);
    expect(walker.shardId).toBeDefined();
    const secondWalker = scheduler.acquire('event', 2);
    expect(await isWaiting(secondWalker)).toBe(true);
    // A booking a free shard has enough tickets for does not walk, so it does not wait.
    expect((await scheduler.acquire('event', 1)).shardId).not.toBe(walker.shardId);
    walker.release();
    expect((await secondWalker).shardId).toBeDefined();
  });

  it('lets a waiting walk give way to what the walk before it learned', async () => {
    const { scheduler } = await learnedScheduler();
    scheduler.observe('event', SHARD_IDS, [shard('base-0', 1), shard('base-1', 0), shard('base-2', 0)]);
    const walker = await scheduler.acquire('event', 2);
    const waiting = scheduler.acquire('event', 2);
    expect(await isWaiting(waiting)).toBe(true);
    scheduler.observe('event', SHARD_IDS, [shard('base-0', 0)]);
    walker.release();
    expect(await waiting).toMatchObject({ pool: 'surge', shardId: 'surge-0' });
  });

  it('starts anywhere once the wait for a shard is over', async () => {
    const { scheduler } = await learnedScheduler(20);
    await Promise.all([0, 1, 2].map(() => scheduler.acquire('event', 1)));
    expect((await scheduler.acquire('event', 1)).shardId).toBeUndefined();
  });

  it('keeps what it learned of an event between bookings, and forgets it after 30 s without one', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { scheduler, scout } = await learnedScheduler();
      scheduler.observe(
        'event',
        SHARD_IDS,
        SHARD_IDS.base.map((id) => shard(id, 0)),
      );
      scout.release();
      jest.advanceTimersByTime(29_000);
      expect(scheduler.seemsEmpty('event', 'base')).toBe(true);
      (await scheduler.acquire('event', 1, true)).release();
      jest.advanceTimersByTime(29_000);
      expect(scheduler.seemsEmpty('event', 'base')).toBe(true);
      jest.advanceTimersByTime(1_001);
      expect(scheduler.seemsEmpty('event', 'base')).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('prefers shards no other instance claims', async () => {
    const { scheduler } = await openScheduler();
    scheduler.observe('event', SHARD_IDS, [
      shard('base-0', 5, claimedByB()),
      shard('base-1', 5, { by: INSTANCE, untilMs: Date.now() + 60_000 }),
      shard('base-2', 5, claimedByB()),
    ]);
    for (let booking = 0; booking < 3; booking += 1) {
      const slot = await scheduler.acquire('event', 1);
      expect(slot.shardId).toBe('base-1');
      slot.release();
    }
    expect(scheduler.isContended('event', 'base-0')).toBe(true);
    expect(scheduler.isContended('event', 'base-1')).toBe(false);
  });

  it("waits for a shard of its own rather than book on another instance's, and takes one when it has none", async () => {
    const { scheduler } = await openScheduler();
    scheduler.observe('event', SHARD_IDS, [
      shard('base-0', 5),
      shard('base-1', 5, claimedByB()),
      shard('base-2', 5, claimedByB()),
    ]);
    const own = await scheduler.acquire('event', 1);
    expect(own.shardId).toBe('base-0');
    const next = scheduler.acquire('event', 1);
    expect(await isWaiting(next)).toBe(true);
    own.release();
    const again = await next;
    expect(again.shardId).toBe('base-0');
    scheduler.observe('event', SHARD_IDS, [shard('base-0', 0)]);
    again.release();
    expect((await scheduler.acquire('event', 1)).shardId).toMatch(/^base-[12]$/);
  });

  it('calls for a refresh of the shards once it knows them, while another booking is in flight, at most once per interval', async () => {
    const scheduler = new ShardScheduler(() => 0, 1_000, INSTANCE);
    expect(scheduler.refreshDue('event', 300)).toBe(false);
    await scheduler.acquire('event', 1);
    expect(scheduler.refreshDue('event', 300)).toBe(false);
    scheduler.observe('event', SHARD_IDS, []);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(now);
      expect(scheduler.refreshDue('event', 300)).toBe(true);
      expect(scheduler.refreshDue('event', 300)).toBe(false);
      clock.mockReturnValue(now + 299);
      expect(scheduler.refreshDue('event', 300)).toBe(false);
      clock.mockReturnValue(now + 300);
      expect(scheduler.refreshDue('event', 300)).toBe(true);
    } finally {
      clock.mockRestore();
    }
  });

  it('does not refresh the shards of a quiet event, booked one booking at a time without lost conflicts', async () => {
    const { scheduler, scout } = await learnedScheduler();
    scout.release();
    expect(scheduler.refreshDue('event', 300)).toBe(false);
    const alone = await scheduler.acquire('event', 1);
    alone.release();
    expect(scheduler.refreshDue('event', 300)).toBe(false);
  });

  it('refreshes the shards for a claim lifetime after a booking lost a conflict, even with none in flight', async () => {
    const { scheduler, scout } = await learnedScheduler();
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(now);
      scout.release(true);
      expect(scheduler.refreshDue('event', 300)).toBe(true);
      clock.mockReturnValue(now + CLAIM_MS - 1);
      expect(scheduler.refreshDue('event', 300)).toBe(true);
      clock.mockReturnValue(now + CLAIM_MS + 300);
      expect(scheduler.refreshDue('event', 300)).toBe(false);
    } finally {
      clock.mockRestore();
    }
  });

  it('learns tickets and claims from a lock-free read without taking its shard list from it', async () => {
    const { scheduler } = await learnedScheduler();
    const resized = { base: ['base-0', 'base-1'], surge: ['surge-0', 'surge-1'] };
    scheduler.observe('event', resized, []);
    scheduler.observeShards('event', [shard('base-2', 4, claimedByB()), shard('base-0', 3)]);
    expect(scheduler.shardIdsOf('event')).toEqual(resized);
    expect(scheduler.lastSeenRemaining('event', 'base-0')).toBe(3);
    expect(scheduler.isContended('event', 'base-2')).toBe(true);
  });

  it('treats a lapsed claim as no claim', async () => {
    const { scheduler } = await openScheduler();
    scheduler.observe('event', SHARD_IDS, [
      shard('base-0', 5, { by: 'instance-b', untilMs: Date.now() - 1 }),
      shard('base-1', 0),
      shard('base-2', 0),
    ]);
    expect(scheduler.isContended('event', 'base-0')).toBe(false);
    expect((await scheduler.acquire('event', 1)).shardId).toBe('base-0');
  });

  it('starts with two shards at a time and grows by one per booking that did not lose a conflict', async () => {
    const { scheduler } = await learnedScheduler();
    const first = await Promise.all([0, 1].map(() => scheduler.acquire('event', 1)));
    const third = scheduler.acquire('event', 1);
    expect(await isWaiting(third)).toBe(true);
    first[0]?.release();
    const slot = await third;
    expect(slot.shardId).toBeDefined();
    expect(await isWaiting(scheduler.acquire('event', 1))).toBe(false);
  });

  it('halves the shards it occupies after a lost conflict, once per round of bookings', async () => {
    const { scheduler } = await openScheduler();
    const slots = await Promise.all([0, 1, 2].map(() => scheduler.acquire('event', 1)));
    slots[0]?.release(true);
    slots[1]?.release(true);
    // Three shards were occupied, so the window is 1.5 (the second loss began in the same round): beside
    // the booking still running, one more may start and a third must wait.
    expect(await isWaiting(scheduler.acquire('event', 1))).toBe(false);
    const waiting = scheduler.acquire('event', 1);
    expect(await isWaiting(waiting)).toBe(true);
    slots[2]?.release();
    expect((await waiting).shardId).toBeDefined();
  });

  it('keeps a window per pool: conflicts lost in the base pool do not hold back the surge pool', async () => {
    const { scheduler } = await learnedScheduler();
    const lost = await Promise.all([0, 1].map(() => scheduler.acquire('event', 1)));
    for (const slot of lost) slot.release(true);
    const base = await scheduler.acquire('event', 1);
    expect(base.pool).toBe('base');
    expect(await isWaiting(scheduler.acquire('event', 1))).toBe(true);
    expect(await scheduler.acquire('event', 1, true)).toMatchObject({ pool: 'surge', shardId: 'surge-0' });
  });

  it('keeps to shards it won and leaves a shard where it lost a conflict', async () => {
    const { scheduler } = await openScheduler();
    const lost = await scheduler.acquire('event', 1);
    const won = await scheduler.acquire('event', 1);
    lost.release(true);
    won.release();
    for (let booking = 0; booking < 5; booking += 1) {
      const slot = await scheduler.acquire('event', 1);
      expect(slot.shardId).toBe(won.shardId);
      slot.release();
    }
  });
});
