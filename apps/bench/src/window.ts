/** One timed window: how many calls, how many images they did, how long it took. */
export interface Window {
  calls: number;
  images: number;
  seconds: number;
  /** performance.now() at the start (to attribute GC pauses). */
  startedAt: number;
}

/**
 * Calls `run` (which resolves to the images it did) at least `minCalls` times and until
 * `seconds` have passed: long enough that GC pauses and slow first calls fall inside the window
 * instead of around it.
 */
export async function timedWindow(run: () => Promise<number>, minCalls: number, seconds: number): Promise<Window> {
  const startedAt = performance.now();
  let calls = 0;
  let images = 0;
  for (;;) {
    images += await run();
    calls += 1;
    const elapsed = (performance.now() - startedAt) / 1000;
    if (calls >= minCalls && elapsed >= seconds) return { calls, images, seconds: elapsed, startedAt };
  }
}
