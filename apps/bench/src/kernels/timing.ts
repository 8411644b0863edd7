/**
 * The best time in milliseconds of one call of `fn`, after one untimed call, over repeated
 * calls for at least `minMs` and at least `minCalls` calls: the best call is what the machine
 * does when nothing else competes for its cores.
 */
export async function bestTime(fn: () => unknown | Promise<unknown>, minMs: number, minCalls = 5): Promise<number> {
  await fn();
  let best = Number.POSITIVE_INFINITY;
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < minMs || calls < minCalls) {
    const t = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t);
    calls++;
  }
  return best;
}
