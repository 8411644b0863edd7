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

/**
 * One line per native model: its cpu fallbacks and buffer-pool counts. Epoch rows come once per
 * repeat (each its own process): identical repeats share one line, differing ones get one each.
 */
export function formatEngineCounters(
  rows: readonly {
    model: string;
    backend: string;
    repeat?: number;
    fallbacks: Record<string, number> | null;
    pool: EngineSnapshot['pool'];
  }[],
): string[] {
  const byModel = new Map<string, { repeat?: number; text: string }[]>();
  for (const r of rows) {
    if (r.backend !== 'native') continue;
    const pool = r.pool ? `; buffer pool: ${r.pool.reused} reused, ${r.pool.allocated} allocated` : '';
    const list = byModel.get(r.model) ?? [];
    list.push({ repeat: r.repeat, text: `cpu fallbacks: ${formatFallbacks(r.fallbacks)}${pool}` });
    byModel.set(r.model, list);
  }
  const lines: string[] = [];
  for (const [model, list] of byModel) {
    if (list.length === 1 || list.every((e) => e.text === list[0]!.text)) {
      const each = list.length > 1 ? ` (each of ${list.length} runs)` : '';
      lines.push(`native ${model}${each}: ${list[0]!.text}`);
    } else {
      for (const [i, e] of list.entries()) lines.push(`native ${model} (run ${e.repeat ?? i + 1}): ${e.text}`);
    }
  }
  return lines;
}
