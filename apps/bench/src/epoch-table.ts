import { markdownTable } from '@cnn/viz/terminal';
import type { EpochResult } from './epoch';
import { median } from './median';
import { rate, ratio } from './table';

/** The repeats of one model on one backend, summarised by their medians. */
export interface EpochSummary {
  model: string;
  backend: string;
  batch: number;
  repeats: number;
  trainImages: number;
  testImages: number;
  loadSeconds: number;
  trainSeconds: number;
  evalSeconds: number;
  totalSeconds: number;
  trainImgPerSec: number;
  /** CPU seconds of the training part (process, all threads). */
  trainCpuSeconds: number;
  testAccuracy: number;
  /** PyTorch's median total seconds / this one's: above 1 means faster than PyTorch. */
  totalRatio: number | null;
  /** The same for the training part alone. */
  trainRatio: number | null;
  /** Lowest and highest 1-minute load average seen around the repeats. */
  loadRange: [number, number] | null;
}

/** Medians per model and backend; PyTorch first in each model, then backends in run order. */
export function summariseEpochs(rows: readonly EpochResult[]): EpochSummary[] {
  const groups = new Map<string, EpochResult[]>();
  for (const r of rows) {
    const key = `${r.model}\u0000${r.backend}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const base = [...groups.values()].map((g): Omit<EpochSummary, 'totalRatio' | 'trainRatio'> => {
    const m = (f: (r: EpochResult) => number) => median(g.map(f));
    const loads = g.flatMap((r) => [r.loadBefore, r.loadAfter]).filter((x): x is number => x !== undefined);
    return {
      model: g[0]!.model,
      backend: g[0]!.backend,
      batch: g[0]!.batch,
      repeats: g.length,
      trainImages: g[0]!.trainImages,
      testImages: g[0]!.testImages,
      loadSeconds: m((r) => r.loadSeconds),
      trainSeconds: m((r) => r.trainSeconds),
      evalSeconds: m((r) => r.evalSeconds),
      totalSeconds: m((r) => r.totalSeconds),
      trainImgPerSec: m((r) => r.trainImgPerSec),
      trainCpuSeconds: m((r) => r.trainCpuSeconds),
      testAccuracy: m((r) => r.testAccuracy),
      loadRange: loads.length ? [Math.min(...loads), Math.max(...loads)] : null,
    };
  });
  const torch = new Map(base.filter((s) => s.backend === 'pytorch').map((s) => [s.model, s]));
  const models = [...new Set(base.map((s) => s.model))].sort();
  return models.flatMap((model) => {
    const ref = torch.get(model);
    return base
      .filter((s) => s.model === model)
      .sort((a, b) => Number(b.backend === 'pytorch') - Number(a.backend === 'pytorch'))
      .map((s) => ({
        ...s,
        totalRatio: ref ? ref.totalSeconds / s.totalSeconds : null,
        trainRatio: ref ? ref.trainSeconds / s.trainSeconds : null,
      }));
  });
}

const HEADER = [
  'model',
  'backend',
  'batch',
  'epochs',
  'load s',
  'train s',
  'test s',
  'total s',
  'train img/s',
  'train CPU s',
  'test acc',
  'total × PyTorch',
  'train × PyTorch',
  'load avg',
];

const secs = (x: number) => x.toFixed(x >= 10 ? 1 : 2);

/** A Markdown table of the summaries (medians; readable as is in a terminal). */
export function formatEpochTable(rows: readonly EpochSummary[]): string {
  const body = rows.map((r) => [
    r.model,
    r.backend,
    String(r.batch),
    String(r.repeats),
    secs(r.loadSeconds),
    secs(r.trainSeconds),
    secs(r.evalSeconds),
    secs(r.totalSeconds),
    rate(r.trainImgPerSec),
    secs(r.trainCpuSeconds),
    `${(r.testAccuracy * 100).toFixed(2)}%`,
    ratio(r.totalRatio),
    ratio(r.trainRatio),
    r.loadRange ? `${r.loadRange[0].toFixed(1)}–${r.loadRange[1].toFixed(1)}` : '—',
  ]);
  return markdownTable([HEADER, ...body], new Set([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])).join('\n');
}
