import { downsample } from './downsample';
import { VizError } from './errors';
import { type PngOptions, type Rendered, renderChart, type VegaLiteSpec } from './render';
import type { RunLog } from './run-log';

/** Options of {@link trainingCurvesSpec}. */
export interface CurvesOptions {
  title?: string;
  /** Width of each panel's plot area in SVG units (default 640). */
  width?: number;
  /** At most this many per-batch points are drawn (min/max per bucket, default 2000). */
  maxPoints?: number;
}

/** One drawn point: `panel` is `loss`, `accuracy` or `learning rate`, `x` the step. */
interface Row {
  panel: string;
  series: string;
  x: number;
  y: number;
}

const SERIES = ['train (per batch)', 'train (epoch mean)', 'validation', 'learning rate'];
const COLORS = ['#9ecae1', '#1f5fa8', '#e6550d', '#555555'];

/**
 * A Vega-Lite spec of a run's curves, stacked panels sharing the step axis: loss (per batch,
 * epoch means and validation), accuracy (epoch means and validation) when the log has any,
 * and the learning rate when it changes. Dotted rules mark epoch ends. Epoch means and
 * validation results are drawn as dots, one per record; non-finite values are left out and
 * counted in the subtitle, and long per-batch series are thinned with {@link downsample}.
 * A log whose every value is NaN or infinite is a `VizError` `empty-log` (never an empty chart).
 */
export function trainingCurvesSpec(log: RunLog, options: CurvesOptions = {}): VegaLiteSpec {
  const width = options.width ?? 640;
  const notes: string[] = [];
  const batchRaw = log.steps;
  const batch = downsample(batchRaw, (p) => p.loss, Math.floor((options.maxPoints ?? 2000) / 2));
  const nonFinite = batchRaw.filter((p) => !Number.isFinite(p.loss)).length;
  if (nonFinite) notes.push(`${nonFinite} non-finite batch loss${nonFinite > 1 ? 'es' : ''} not drawn`);
  if (batch.length < batchRaw.length - nonFinite) {
    notes.push(
      `${fmt(batchRaw.length - nonFinite)} batch losses drawn as ${fmt(batch.length)} (min and max per bucket)`,
    );
  }
  const vals = log.validations.length
    ? log.validations
    : log.epochs
        .filter((e) => e.valLoss !== undefined)
        .map((e) => ({ step: e.steps, epoch: e.epoch, loss: e.valLoss!, accuracy: e.valAccuracy ?? Number.NaN }));
  const line: Row[] = batch.map((p) => ({ panel: 'loss', series: SERIES[0]!, x: p.step, y: p.loss }));
  const dots: Row[] = [];
  // A lone batch point would be an invisible line: draw it as a dot.
  if (line.length === 1) dots.push(...line.splice(0));
  for (const e of log.epochs) {
    dots.push({ panel: 'loss', series: SERIES[1]!, x: e.steps, y: e.loss });
    dots.push({ panel: 'accuracy', series: SERIES[1]!, x: e.steps, y: e.accuracy });
  }
  for (const v of vals) {
    dots.push({ panel: 'loss', series: SERIES[2]!, x: v.step, y: v.loss });
    dots.push({ panel: 'accuracy', series: SERIES[2]!, x: v.step, y: v.accuracy });
  }
  const lrSource = batchRaw.length
    ? batchRaw.map((p) => ({ x: p.step, y: p.lr }))
    : log.epochs.map((e) => ({ x: e.steps, y: e.lr }));
  const lrs = lrSource.filter((p) => Number.isFinite(p.y));
  const lrChanges = new Set(lrs.map((p) => p.y)).size > 1;
  const lrRows = lrChanges
    ? downsample(lrs, (p) => p.y, 500).map((p) => ({ panel: 'learning rate', series: SERIES[3]!, ...p }))
    : [];
  const finiteDots = dots.filter((d) => Number.isFinite(d.y));
  if (finiteDots.length < dots.length)
    notes.push(`${dots.length - finiteDots.length} non-finite epoch/validation values not drawn`);
  if (!log.end) notes.push('no end record: the run was cut short or is still going');
  if (log.skippedLines) notes.push(`${log.skippedLines} unreadable line${log.skippedLines > 1 ? 's' : ''} skipped`);

  const all = [...line, ...finiteDots, ...lrRows];
  const maxStep = Math.max(1, ...all.map((r) => r.x), ...log.epochs.map((e) => e.steps).filter(Number.isFinite));
  const epochEnds = log.epochs
    .filter((e) => Number.isFinite(e.steps))
    .map((e) => ({ x: e.steps, label: `epoch ${e.epoch + 1}` }));
  const used = SERIES.filter((s) => all.some((r) => r.series === s));
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain: used, range: used.map((s) => COLORS[SERIES.indexOf(s)]) },
    legend: { title: null, orient: 'top', direction: 'horizontal', symbolStrokeWidth: 3 },
  };
  const panel = (name: string, title: string, format?: string) => {
    const lines = line.filter((r) => r.panel === name).concat(lrRows.filter((r) => r.panel === name));
    const points = finiteDots.filter((r) => r.panel === name);
    if (lines.length + points.length === 0) return null;
    const x = {
      field: 'x',
      type: 'quantitative',
      title: 'step (dotted lines: ends of epochs)',
      scale: { domain: [0, maxStep], nice: false },
    };
    const y = { field: 'y', type: 'quantitative', title, scale: { zero: false }, axis: format ? { format } : {} };
    const layers: Record<string, unknown>[] = [];
    if (epochEnds.length) {
      layers.push({
        data: { values: epochEnds },
        mark: { type: 'rule', strokeDash: [2, 3], color: '#999' },
        encoding: { x: { field: 'x', type: 'quantitative' } },
      });
      if (name === 'loss' && epochEnds.length <= 12) {
        // Names the epoch each dotted line ends, at the top of the first panel.
        layers.push({
          data: { values: epochEnds },
          mark: { type: 'text', align: 'right', baseline: 'top', dx: -4, dy: 4, fontSize: 11, color: '#666' },
          encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
        });
      }
    }
    const chained = [...lines, ...points.filter((r) => r.series !== SERIES[0])];
    if (chained.length) {
      layers.push({
        data: { values: chained },
        mark: { type: 'line', strokeWidth: 1.5, clip: true },
        encoding: { x, y, color },
      });
    }
    if (points.length) {
      layers.push({
        data: { values: points },
        mark: { type: 'point', filled: true, size: 45, opacity: 1 },
        encoding: { x, y, color },
      });
    }
    return { width, height: name === 'loss' ? 220 : 150, layer: layers };
  };
  if (all.length === 0) {
    throw new VizError('empty-log', `no finite loss, accuracy or learning rate to plot (${notes.join('; ')})`);
  }
  const panels = [
    panel('loss', 'loss'),
    panel('accuracy', 'accuracy', '.1%'),
    panel('learning rate', 'learning rate'),
  ].filter(Boolean);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title ?? 'Training curves', subtitle: notes.length ? notes.join('; ') : '' },
    vconcat: panels,
    spacing: 18,
  };
}

/** {@link trainingCurvesSpec} rendered to SVG and PNG. */
export async function renderTrainingCurves(
  log: RunLog,
  options: CurvesOptions = {},
  png: PngOptions = {},
): Promise<Rendered> {
  return renderChart(trainingCurvesSpec(log, options), png);
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
