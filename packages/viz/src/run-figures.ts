import { loadMnistSplit } from '@cnn/datasets';
import { type Module, summary } from '@cnn/layers';
import * as tf from '@tensorflow/tfjs-core';
import { confusionCounts, renderConfusionMatrix } from './confusion';
import { renderDigitGrid } from './digit-grid';
import { VizError } from './errors';
import { renderFeatureMaps } from './feature-maps';
import { renderFilters } from './filters';
import type { ReportParts } from './html-report';
import { confidentlyWrong } from './mistakes';
import { predictSet } from './predict-set';
import type { RunConfig } from './run-config';
import type { RenderRunOptions } from './run-dir';
import { digitPreview } from './terminal';

/**
 * The figures of a run that need its model: test-set predictions, confusion matrix, digits,
 * mistakes (also as ASCII into `preview`), filters and feature maps. Adds them to `parts`,
 * writes each file with `write`, and returns the test accuracy.
 */
export async function renderModelParts(
  model: Module,
  config: RunConfig,
  options: RenderRunOptions,
  parts: ReportParts,
  write: (name: string, data: string | Uint8Array) => void,
  preview: string[],
): Promise<number> {
  const inputShape = config.inputShape ?? [28, 28, 1];
  const scale = options.png?.scale ?? 2;
  parts.modelSummary = summary(model, inputShape, { print: false }).text;
  const test = loadMnistSplit('test', config.dataDir ? { dir: config.dataDir } : {});
  const count = Math.min(options.limit ?? test.count, test.count);
  const { height, width } = test;
  const labels = test.labels.subarray(0, count);
  const pred = predictSet(model, test.images, { count, height, width }, config.normalize);
  const classNames = config.classNames ?? Array.from({ length: pred.numClasses }, (_, i) => String(i));
  const counts = confusionCounts(labels, pred.predicted, pred.numClasses);
  const correct = counts.reduce((s, row, i) => s + row[i]!, 0);
  const accuracy = correct / count;
  parts.metrics![`test accuracy (${count.toLocaleString('en-US')} images)`] = `${(accuracy * 100).toFixed(2)}%`;

  const confusion = await renderConfusionMatrix(
    counts,
    { classNames, title: 'Confusion matrix (test set)' },
    options.png,
  );
  write('confusion.svg', confusion.svg);
  write('confusion.png', confusion.png);
  parts.figures!.push({ title: 'Confusion matrix', png: confusion.png, scale });

  const source = { images: test.images, height, width };
  const digits = renderDigitGrid(
    source,
    {
      count: Math.min(40, count),
      labels,
      predictions: pred.predicted,
      classNames,
      title: 'First test digits: true class (→ prediction when wrong)',
    },
    options.png,
  );
  write('digits.png', digits.png);
  parts.figures!.push({ title: 'Ground truth and predictions', png: digits.png, scale });

  const wrong = confidentlyWrong(pred.probabilities, labels, 20, 3);
  if (wrong.length) {
    const mistakes = renderDigitGrid(
      source,
      {
        indices: wrong.map((m) => m.index),
        labels,
        predictions: pred.predicted,
        classNames,
        captions: wrong.map((m) => m.top.map((t) => `${classNames[t.cls]}: ${(t.p * 100).toFixed(1)}%`)),
        title: 'Most confidently wrong test digits, with the top-3 probabilities',
      },
      options.png,
    );
    write('mistakes.png', mistakes.png);
    parts.figures!.push({ title: 'Mistakes', png: mistakes.png, scale });
    const items = wrong.slice(0, 8).map((m) => ({
      index: m.index,
      title: `${classNames[m.label]} → ${classNames[m.predicted]} ${(m.confidence * 100).toFixed(0)}%`,
    }));
    preview.push(...digitPreview(source, items, options.columns ?? 80));
  }

  try {
    const filters = renderFilters(model, {}, options.png);
    write('filters.png', filters.png);
    parts.figures!.push({ title: 'Conv filters', png: filters.png, scale });
    const sample = Math.min(options.sample ?? 0, count - 1);
    const pixels = test.images.subarray(sample * height * width, (sample + 1) * height * width);
    const { mean, std } = config.normalize ?? { mean: 0.1307, std: 0.3081 };
    const input = tf.tidy(() =>
      tf.div(tf.sub(tf.div(tf.tensor3d(pixels, [height, width, 1], 'float32'), 255), mean), std),
    );
    try {
      const caption = `test digit #${sample}, true class ${classNames[labels[sample]!]}, predicted ${classNames[pred.predicted[sample]!]}`;
      const maps = renderFeatureMaps(model, input, { caption }, options.png);
      write('feature-maps.png', maps.png);
      parts.figures!.push({ title: 'Feature maps', png: maps.png, caption, scale });
    } finally {
      input.dispose();
    }
  } catch (err) {
    if (!(err instanceof VizError && err.code === 'no-model')) throw err;
    parts.notes!.push(err.message);
  }
  return accuracy;
}
