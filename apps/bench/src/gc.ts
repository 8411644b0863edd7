import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';

/**
 * Collects the garbage collector's pauses (perf_hooks 'gc' entries) so that a timed window can
 * say how much of it was GC. Node creates the entries on a later turn of the event loop (a loop
 * of awaited promises never yields one), so `msBetween` lets the loop turn, takes what is
 * pending and sums the pauses that started inside the window.
 */
export class GcRecorder {
  private readonly pauses: { start: number; ms: number }[] = [];
  private readonly observer = new PerformanceObserver((list) => this.keep(list.getEntries()));

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  private keep(entries: readonly PerformanceEntry[]): void {
    for (const e of entries) this.pauses.push({ start: e.startTime, ms: e.duration });
  }

  /** Milliseconds of GC pauses that started between `from` and `to` (performance.now() times). */
  async msBetween(from: number, to: number): Promise<number> {
    for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    this.keep(this.observer.takeRecords());
    let ms = 0;
    for (const p of this.pauses) if (p.start >= from && p.start <= to) ms += p.ms;
    // Older pauses can never fall into a later window.
    while (this.pauses.length && this.pauses[0]!.start < from) this.pauses.shift();
    return ms;
  }

  dispose(): void {
    this.observer.disconnect();
  }
}
