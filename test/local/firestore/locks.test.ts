import { LockManager, type LockOwner } from '../../../local/firestore/locks';

/** A transaction as the lock manager sees it: an age, and whether it was wounded. */
function transaction(priority: bigint): LockOwner & { wounded: boolean } {
  const owner = {
    priority,
    canWound: true,
    wounded: false,
    get woundable() {
      return !owner.wounded;
    },
    aborted: () => {
      owner.wounded = true;
    },
  };
  return owner;
}

/** Whether a lock request settled (granted or failed) once pending callbacks have run. */
async function settled(request: Promise<void>): Promise<'granted' | 'failed' | 'waiting'> {
  let state: 'granted' | 'failed' | 'waiting' = 'waiting';
  request.then(
    () => (state = 'granted'),
    () => (state = 'failed'),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
}

describe('LockManager', () => {
  it('wounds a younger reader that was let in by its own wounding before it could queue', async () => {
    const locks = new LockManager(60_000);
    const oldest = transaction(1n);
    const victim = transaction(2n);
    const youngest = transaction(3n);
    await locks.acquireShared(oldest, 'a');
    await locks.acquireShared(oldest, 'b');
    await locks.acquireShared(victim, 'a');
    // The victim waits to write `a` (the oldest reads it); the youngest reader queues behind that writer.
    const victimWrite = locks.acquireExclusive(victim, ['a']);
    const youngestRead = locks.acquireShared(youngest, 'a');
    expect(await settled(youngestRead)).toBe('waiting');

    // Wounding the victim frees `a` for the youngest reader; the oldest must wound that reader as well.
    const oldestWrite = locks.acquireExclusive(oldest, ['a', 'b']);

    expect(await settled(victimWrite)).toBe('failed');
    expect(victim.wounded).toBe(true);
    expect(youngest.wounded).toBe(true);
    expect(await settled(oldestWrite)).toBe('granted');
  });
});
