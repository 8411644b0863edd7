import { nativeCpuFallbacks, nativePoolStats } from '@cnn/backend';

/** A snapshot of the counters; diff two with `countersSince`. */
export interface EngineSnapshot {
  fallbacks: Record<string, number> | null;
  pool: { reused: number; allocated: number } | null;
}

/** The native backend's cpu fallbacks per kernel and buffer-pool counts so far (cumulative, process-wide). */
export function engineSnapshot(): EngineSnapshot {
  const pool = nativePoolStats();
  return { fallbacks: nativeCpuFallbacks(), pool: { reused: pool.reused, allocated: pool.allocated } };
}

/** What happened between two snapshots: fallbacks per kernel (only those > 0) and pool outputs. */
export function countersSince(before: EngineSnapshot, after: EngineSnapshot): EngineSnapshot {
  let fallbacks: Record<string, number> | null = null;
  if (before.fallbacks && after.fallbacks) {
    fallbacks = {};
    for (const [kernel, n] of Object.entries(after.fallbacks)) {
      const d = n - (before.fallbacks[kernel] ?? 0);
      if (d > 0) fallbacks[kernel] = d;
    }
  }
  const pool =
    before.pool && after.pool
      ? { reused: after.pool.reused - before.pool.reused, allocated: after.pool.allocated - before.pool.allocated }
      : null;
  return { fallbacks, pool };
}

/** `Cast 12, Tile 3` or `none`, or `not available` without the counter. */
export function formatFallbacks(fallbacks: Record<string, number> | null): string {
  if (!fallbacks) return 'not counted';
  const entries = Object.entries(fallbacks).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(', ') : 'none';
}

/** One line per native row: its cpu fallbacks and buffer-pool counts. */
export function formatEngineCounters(
  rows: readonly {
    model: string;
    backend: string;
    fallbacks: Record<string, number> | null;
    pool: EngineSnapshot['pool'];
  }[],
): string[] {
  return rows
    .filter((r) => r.backend === 'native')
    .map((r) => {
      const pool = r.pool ? `; buffer pool: ${r.pool.reused} reused, ${r.pool.allocated} allocated` : '';
      return `native ${r.model}: cpu fallbacks: ${formatFallbacks(r.fallbacks)}${pool}`;
    });
}
