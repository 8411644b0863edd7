import { markdownTable } from '@cnn/viz/terminal';
import type { ModelResult } from './measure';

/** A result row with its ratios to the PyTorch row of the same model (null without one). */
export interface TableRow extends ModelResult {
  trainRatio: number | null;
  inferRatio: number | null;
}

/** Adds ratios to PyTorch; orders rows by model, PyTorch first, then backends in run order. */
export function withRatios(rows: readonly ModelResult[]): TableRow[] {
  const torch = new Map(rows.filter((r) => r.backend === 'pytorch').map((r) => [r.model, r]));
  const models = [...new Set(rows.map((r) => r.model))].sort();
  const out: TableRow[] = [];
  for (const model of models) {
    const ref = torch.get(model);
    const own = rows.filter((r) => r.model === model);
    own.sort((a, b) => Number(b.backend === 'pytorch') - Number(a.backend === 'pytorch'));
    for (const r of own) {
      out.push({
        ...r,
        trainRatio: ref ? r.trainImgPerSec / ref.trainImgPerSec : null,
        inferRatio: ref ? r.inferImgPerSec / ref.inferImgPerSec : null,
      });
    }
  }
  return out;
}

const HEADER = [
  'model',
  'backend',
  'batch',
  'train img/s',
  'inference img/s',
  'train × PyTorch',
  'inference × PyTorch',
  'CPU ms/step',
  'GC ms/step',
  'load before→after',
];

/** A Markdown table (readable as is in a terminal). */
export function formatTable(rows: readonly TableRow[]): string {
  const body = rows.map((r) => [
    r.model,
    r.backend,
    String(r.batch),
    rate(r.trainImgPerSec),
    rate(r.inferImgPerSec),
    ratio(r.trainRatio),
    ratio(r.inferRatio),
    r.trainCpuMsPerStep.toFixed(r.trainCpuMsPerStep >= 100 ? 0 : 2),
    r.gcMsPerStep === null ? '—' : r.gcMsPerStep.toFixed(2),
    loads(r),
  ]);
  return markdownTable([HEADER, ...body], NUMERIC_COLUMNS).join('\n');
}

/** Every column after model, backend and batch holds a number. */
const NUMERIC_COLUMNS = new Set([3, 4, 5, 6, 7, 8, 9]);

/** `3.1→3.4`, the 1-minute load average around a row's process. */
export function loads(r: { loadBefore?: number; loadAfter?: number }): string {
  if (r.loadBefore === undefined || r.loadAfter === undefined) return '—';
  return `${r.loadBefore.toFixed(1)}→${r.loadAfter.toFixed(1)}`;
}

export function rate(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);
}

export function ratio(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return `${x.toFixed(2)}×`;
}

/** A performance target of the issue: `backend` at ≥ `min` × PyTorch on `metric`. */
export interface Target {
  model: string;
  backend: string;
  metric: 'train' | 'infer';
  min: number;
}

/** Issue 12: native training and inference ≥ 1.0× PyTorch, wasm training ≥ 0.3×, on all five models. */
export const TARGETS: Target[] = ['000', '001', '002', '003', '004'].flatMap((model) => [
  { model, backend: 'native', metric: 'train' as const, min: 1 },
  { model, backend: 'native', metric: 'infer' as const, min: 1 },
  { model, backend: 'wasm', metric: 'train' as const, min: 0.3 },
]);

export interface TargetCheck extends Target {
  ratio: number | null;
  /** null when the row or the PyTorch reference is missing. */
  met: boolean | null;
}

/** Checks every target against the rows that were run. */
export function checkTargets(rows: readonly TableRow[]): TargetCheck[] {
  return TARGETS.map((t) => {
    const row = rows.find((r) => r.model === t.model && r.backend === t.backend);
    const value = row ? (t.metric === 'train' ? row.trainRatio : row.inferRatio) : null;
    return { ...t, ratio: value, met: value === null ? null : value >= t.min };
  });
}

/** One line per target, e.g. `native 000 train ≥ 1× PyTorch: 0.62× NOT met`. */
export function formatTargets(checks: readonly TargetCheck[]): string {
  return checks
    .map((c) => {
      const what = `${c.backend} ${c.model} ${c.metric === 'train' ? 'train' : 'inference'} ≥ ${c.min}× PyTorch`;
      const status = c.met === null ? 'not measured' : `${c.ratio!.toFixed(2)}× ${c.met ? 'met' : 'NOT met'}`;
      return `${what}: ${status}`;
    })
    .join('\n');
}
