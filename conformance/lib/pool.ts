/**
 * Runs `work` over `items` with at most `limit` in flight; resolves when all
 * are done. Drivers are separate processes, so a small limit keeps timing-
 * sensitive scenarios away from CPU starvation on a 2-core machine.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
}
