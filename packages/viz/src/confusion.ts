import { VizError } from './errors';
import { type PngOptions, type Rendered, renderChart, type VegaLiteSpec } from './render';

/**
 * Counts of (true class, predicted class): `counts[t][p]`, rows are true classes.
 *
 * Args: `actual` and `predicted` are `[N]` class ids in `0..numClasses-1`.
 */
export function confusionCounts(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  numClasses: number,
): number[][] {
  if (!(Number.isInteger(numClasses) && numClasses > 0)) {
    throw new VizError('bad-input', `numClasses must be a positive whole number, got ${numClasses}`);
  }
  if (actual.length !== predicted.length) {
    throw new VizError('bad-input', `${actual.length} true classes but ${predicted.length} predictions`);
  }
  const counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const t = actual[i]!;
    const p = predicted[i]!;
    if (!(Number.isInteger(t) && t >= 0 && t < numClasses && Number.isInteger(p) && p >= 0 && p < numClasses)) {
      throw new VizError('bad-input', `example ${i}: class ids ${t} → ${p} outside 0..${numClasses - 1}`);
    }
    counts[t]![p]! += 1;
  }
  return counts;
}

/** Options of {@link confusionMatrixSpec}. */
export interface ConfusionOptions {
  classNames?: readonly string[];
  title?: string;
}

/**
 * A Vega-Lite heat map of `counts` (rows true class, columns predicted class): each cell is
 * shaded by its share of the row (square-root scale, so a few mistakes still show) and annotated with its count (zeros left blank), with the
 * per-class accuracy (recall) in a column on the right and the overall accuracy in the subtitle.
 */
export function confusionMatrixSpec(counts: number[][], options: ConfusionOptions = {}): VegaLiteSpec {
  const n = counts.length;
  if (n === 0 || counts.some((r) => r.length !== n)) {
    throw new VizError('bad-input', 'confusion counts must be a non-empty square matrix');
  }
  const names = Array.from({ length: n }, (_, i) => options.classNames?.[i] ?? String(i));
  const cells: Record<string, unknown>[] = [];
  const rows: Record<string, unknown>[] = [];
  let total = 0;
  let correct = 0;
  counts.forEach((row, t) => {
    const sum = row.reduce((a, b) => a + b, 0);
    total += sum;
    correct += row[t]!;
    row.forEach((count, p) => {
      cells.push({
        actual: names[t],
        predicted: names[p],
        count,
        label: count ? String(count) : '',
        share: sum ? count / sum : 0,
      });
    });
    rows.push({ actual: names[t], accuracy: sum ? `${((row[t]! / sum) * 100).toFixed(1)}%` : '–' });
  });
  const side = Math.max(240, Math.min(36 * n, 640));
  const y = { field: 'actual', type: 'ordinal', sort: names, title: 'true class', axis: { labelAngle: 0 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? 'Confusion matrix',
      subtitle: `${total.toLocaleString('en-US')} examples, accuracy ${total ? ((correct / total) * 100).toFixed(2) : '–'}%`,
    },
    hconcat: [
      {
        width: side,
        height: side,
        data: { values: cells },
        encoding: {
          x: {
            field: 'predicted',
            type: 'ordinal',
            sort: names,
            title: 'predicted class',
            axis: { labelAngle: 0, orient: 'top' },
          },
          y,
        },
        layer: [
          {
            mark: { type: 'rect', stroke: '#eee' },
            encoding: {
              color: {
                field: 'share',
                type: 'quantitative',
                scale: { type: 'sqrt', domain: [0, 1], range: ['#ffffff', '#08519c'], interpolate: 'rgb' },
                legend: { title: 'share of row', format: '.0%', values: [0, 0.01, 0.1, 0.25, 0.5, 1] },
              },
            },
          },
          {
            mark: { type: 'text', fontSize: n > 12 ? 9 : 11 },
            encoding: {
              text: { field: 'label' },
              color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#222' },
            },
          },
        ],
      },
      {
        width: 64,
        height: side,
        title: { text: 'accuracy', fontSize: 12, fontWeight: 'normal', anchor: 'middle', orient: 'top' },
        data: { values: rows },
        mark: { type: 'text', fontSize: 12, align: 'center' },
        encoding: { y: { ...y, axis: null }, text: { field: 'accuracy' } },
      },
    ],
    spacing: 6,
  };
}

/** {@link confusionMatrixSpec} rendered to SVG and PNG. */
export function renderConfusionMatrix(
  counts: number[][],
  options: ConfusionOptions = {},
  png: PngOptions = {},
): Promise<Rendered> {
  return renderChart(confusionMatrixSpec(counts, options), png);
}
