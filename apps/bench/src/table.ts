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
  ]);
  return markdownTable([HEADER, ...body], NUMERIC_COLUMNS).join('\n');
}

/** Every column after model, backend and batch holds a number. */
const NUMERIC_COLUMNS = new Set([3, 4, 5, 6]);

function rate(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);
}

function ratio(x: number | null): string {
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

/** native train and inference ≥ 0.5× PyTorch, wasm training ≥ 0.1×, on models 000 and 002. */
export const TARGETS: Target[] = ['000', '002'].flatMap((model) => [
  { model, backend: 'native', metric: 'train' as const, min: 0.5 },
  { model, backend: 'native', metric: 'infer' as const, min: 0.5 },
  { model, backend: 'wasm', metric: 'train' as const, min: 0.1 },
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

/** One line per target, e.g. `native 000 train ≥ 0.5× PyTorch: 0.62× met`. */
export function formatTargets(checks: readonly TargetCheck[]): string {
  return checks
    .map((c) => {
      const what = `${c.backend} ${c.model} ${c.metric === 'train' ? 'train' : 'inference'} ≥ ${c.min}× PyTorch`;
      const status = c.met === null ? 'not measured' : `${c.ratio!.toFixed(2)}× ${c.met ? 'met' : 'NOT met'}`;
      return `${what}: ${status}`;
    })
    .join('\n');
}
