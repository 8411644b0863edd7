/** One timed window: how many calls, how many images they did, how long it took. */
export interface Window {
  calls: number;
  images: number;
  seconds: number;
  /** CPU seconds the process used meanwhile, all its threads (what the work cost, whatever the load). */
  cpuSeconds: number;
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
  const cpu0 = process.cpuUsage();
  let calls = 0;
  let images = 0;
  for (;;) {
    images += await run();
    calls += 1;
    const elapsed = (performance.now() - startedAt) / 1000;
    if (calls >= minCalls && elapsed >= seconds) {
      const cpu = process.cpuUsage(cpu0);
      return { calls, images, seconds: elapsed, cpuSeconds: (cpu.user + cpu.system) / 1e6, startedAt };
    }
  }
}
