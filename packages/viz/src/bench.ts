import { VizError } from './errors';
import { type PngOptions, type Rendered, renderChart, type VegaLiteSpec } from './render';

/** One row of the `rows` array of an `apps/bench` JSON report (other fields are ignored). */
export interface BenchRow {
  model: string;
  backend: string;
  trainImgPerSec: number;
  inferImgPerSec: number;
}

const BACKEND_COLORS: Record<string, string> = {
  pytorch: '#737373',
  native: '#1f5fa8',
  wasm: '#e6550d',
  cpu: '#31a354',
};

/** The usable rows of a bench report (`{ rows: [...] }` as `pnpm bench` writes it). */
export function benchRows(report: unknown, file?: string): BenchRow[] {
  const rows = (report as { rows?: unknown })?.rows;
  if (!Array.isArray(rows)) throw new VizError('bad-input', 'a bench report needs a "rows" array', file);
  const ok = rows.filter(
    (r): r is BenchRow =>
      typeof r?.model === 'string' &&
      typeof r?.backend === 'string' &&
      Number.isFinite(r?.trainImgPerSec) &&
      Number.isFinite(r?.inferImgPerSec),
  );
  if (ok.length === 0)
    throw new VizError('bad-input', 'the bench report has no row with model, backend and img/s', file);
  return ok;
}

/**
 * Grouped bars of images per second for each model and backend, training beside inference, on
 * a log scale (the tutorial models differ by 100×), each bar labelled with its figure.
 */
export function benchChartSpec(rows: BenchRow[], title = 'Engine benchmark: images per second'): VegaLiteSpec {
  const backends = [...new Set(rows.map((r) => r.backend))];
  const models = [...new Set(rows.map((r) => r.model))];
  const data = rows.flatMap((r) => [
    { model: r.model, backend: r.backend, metric: 'training', value: r.trainImgPerSec },
    { model: r.model, backend: r.backend, metric: 'inference', value: r.inferImgPerSec },
  ]);
  const color = {
    field: 'backend',
    type: 'nominal',
    scale: {
      domain: backends,
      range: backends.map((b, i) => BACKEND_COLORS[b] ?? ['#756bb1', '#8c6d31', '#d6616b'][i % 3]),
    },
    legend: { orient: 'top', title: null },
  };
  const low = (metric: string) => {
    const values = data.filter((d) => d.metric === metric && d.value > 0).map((d) => d.value);
    return 10 ** Math.floor(Math.log10(Math.min(...values, 1e9)));
  };
  const panel = (metric: string) => ({
    title: { text: metric, fontSize: 13, fontWeight: 'normal', anchor: 'middle' },
    width: 300,
    height: { step: 14 },
    transform: [{ filter: `datum.metric === '${metric}'` }],
    encoding: {
      y: { field: 'model', type: 'nominal', sort: models, title: 'model' },
      yOffset: { field: 'backend', sort: backends },
      x: {
        field: 'value',
        type: 'quantitative',
        scale: { type: 'log', domainMin: low(metric) },
        stack: null,
        title: 'images per second (log scale)',
      },
      color,
    },
    layer: [
      { mark: { type: 'bar' } },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 9, color: '#222' },
        encoding: { text: { field: 'value', format: ',.0f' }, color: { value: '#222' } },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: data },
    hconcat: [panel('training'), panel('inference')],
    resolve: { scale: { x: 'independent' } },
  };
}

/** {@link benchChartSpec} rendered to SVG and PNG. */
export function renderBenchChart(rows: BenchRow[], png: PngOptions = {}): Promise<Rendered> {
  return renderChart(benchChartSpec(rows), png);
}
