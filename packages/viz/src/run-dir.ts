import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMnistSplit, MnistDataMissingError } from '@cnn/datasets';
import { loadModel, type Module, summary } from '@cnn/layers';
import * as tf from '@tensorflow/tfjs-core';
import { confusionCounts, renderConfusionMatrix } from './confusion';
import { renderTrainingCurves } from './curves';
import { renderDigitGrid } from './digit-grid';
import { VizError } from './errors';
import { renderFeatureMaps } from './feature-maps';
import { renderFilters } from './filters';
import { htmlReport, type ReportParts } from './html-report';
import { confidentlyWrong } from './mistakes';
import { predictSet } from './predict-set';
import type { PngOptions } from './render';
import { type RunLog, readRunLog } from './run-log';
import { digitPreview } from './terminal';

/** File names inside a run directory (see the README's “Run directory” section). */
export const RUN_FILES = { metrics: 'metrics.jsonl', config: 'config.json', model: 'model' } as const;

/** The optional `config.json` of a run: free-form, with these keys understood. */
export interface RunConfig {
  /** Report title (default: the run directory's name). */
  title?: string;
  /** One example's shape `[H, W, C]` (default `[28, 28, 1]`). */
  inputShape?: number[];
  /** The normalisation used in training (default MNIST's 0.1307 / 0.3081). */
  normalize?: { mean: number; std: number };
  classNames?: string[];
  /** A folder of MNIST-style IDX files for the test set (default the embedded MNIST). */
  dataDir?: string;
  [key: string]: unknown;
}

/** Options of {@link renderRun}. */
export interface RenderRunOptions {
  /** Where the files go (default `<run>/viz`). */
  outDir?: string;
  /** Evaluate on the first this many test images (default all). */
  limit?: number;
  /** Test image whose feature maps are drawn (default 0). */
  sample?: number;
  /** Terminal width for {@link RenderedRun.preview} (default 80). */
  columns?: number;
  png?: PngOptions;
}

/** What {@link renderRun} wrote. */
export interface RenderedRun {
  outDir: string;
  /** Paths of the files written, the HTML report last. */
  files: string[];
  log: RunLog;
  /** Accuracy on the evaluated test images, when the run has a model. */
  testAccuracy?: number;
  /** The surest mistakes as ASCII digits for a terminal (empty without a model or mistakes). */
  preview: string[];
}

/** Reads `config.json` when present; bad JSON is a `VizError` naming the file. */
export function readRunConfig(dir: string): RunConfig {
  const file = path.join(dir, RUN_FILES.config);
  if (!fs.existsSync(file)) return {};
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as RunConfig;
  } catch (err) {
    throw new VizError('unreadable', `cannot read the run config: ${(err as Error).message}`, file);
  }
}

/**
 * Renders everything for a finished (or killed) run directory into `outDir`: training
 * curves, and with a saved model the test-set confusion matrix, the first 40 test digits with
 * predictions, the most confidently wrong digits, the conv filters and the feature maps of one
 * digit; then one self-contained `report.html`.
 */
export async function renderRun(dir: string, options: RenderRunOptions = {}): Promise<RenderedRun> {
  const metricsFile = path.join(dir, RUN_FILES.metrics);
  const log = readRunLog(metricsFile);
  const config = readRunConfig(dir);
  const outDir = options.outDir ?? path.join(dir, 'viz');
  fs.mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, data: string | Uint8Array) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, data);
    files.push(file);
  };
  const title = config.title ?? `Run ${path.basename(path.resolve(dir))}`;
  const scale = options.png?.scale ?? 2;
  const parts: ReportParts = { title, config, figures: [], notes: [], metrics: finalMetrics(log) };
  const curves = await renderTrainingCurves(log, {}, options.png).catch((err: unknown) => {
    // e.g. a log of NaNs only: name the file it came from
    throw err instanceof VizError && !err.file ? new VizError(err.code, err.message, metricsFile) : err;
  });
  write('curves.svg', curves.svg);
  write('curves.png', curves.png);
  parts.figures!.push({ title: 'Training curves', png: curves.png, scale });

  const modelDir = path.join(dir, RUN_FILES.model);
  let testAccuracy: number | undefined;
  const preview: string[] = [];
  if (fs.existsSync(path.join(modelDir, 'model.json'))) {
    let model: Module;
    try {
      model = await loadModel(modelDir);
    } catch (err) {
      throw new VizError(
        'unreadable',
        `cannot load the model: ${(err as Error).message}`,
        path.join(modelDir, 'model.json'),
      );
    }
    try {
      testAccuracy = await renderModelParts(model, config, options, parts, write, preview);
    } catch (err) {
      if (!(err instanceof MnistDataMissingError)) throw err;
      parts.modelSummary ??= summary(model, config.inputShape ?? [28, 28, 1], { print: false }).text;
      parts.notes!.push(`no test set, so no confusion matrix, digits or feature maps: ${err.message}`);
    } finally {
      model.dispose();
    }
  } else {
    parts.notes!.push(`no saved model in ${RUN_FILES.model}/: only the curves are drawn`);
  }
  write('report.html', htmlReport(parts));
  return { outDir, files, log, preview, ...(testAccuracy === undefined ? {} : { testAccuracy }) };
}

async function renderModelParts(
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

/** The last epoch's figures (or the last batch loss of a run cut short). */
function finalMetrics(log: RunLog): Record<string, string> {
  const out: Record<string, string> = {};
  const last = log.epochs.at(-1);
  const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : String(v));
  const val = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : String(v));
  out.epochs = String(log.epochs.length);
  out.steps = String(log.end?.steps ?? log.steps.at(-1)?.step ?? last?.steps ?? 0);
  out['stopped because'] = log.end?.stopReason ?? 'no end record (cut short)';
  if (last) {
    out['train loss (last epoch)'] = val(last.loss);
    out['train accuracy (last epoch)'] = pct(last.accuracy);
  }
  const v = log.validations.at(-1);
  if (v) {
    out['validation loss'] = val(v.loss);
    out['validation accuracy'] = pct(v.accuracy);
  }
  return out;
}
