/**
 * The outcome of `promise`, never rejecting: for work started ahead of the moment its result is needed, whose
 * failure must surface there (or not at all, when the result is dropped) rather than as an unhandled
 * rejection.
 */
export function settle<R>(promise: Promise<R>): Promise<PromiseSettledResult<R>> {
  return promise.then(
    (value): PromiseSettledResult<R> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<R> => ({ status: 'rejected', reason }),
  );
}

/**
 * Runs `work` on every item with at most `limit` calls in flight, and returns the outcomes in item order.
 * A failure of one item does not stop the others.
 */
export async function settleWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const outcomes: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      outcomes[index] = await settle(work(items[index] as T));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return outcomes;
}
