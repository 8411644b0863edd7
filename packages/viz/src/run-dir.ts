import * as fs from 'node:fs';
import * as path from 'node:path';
import { MnistDataMissingError } from '@cnn/datasets';
import { loadModel, type Module, summary } from '@cnn/layers';
import { renderTrainingCurves } from './curves';
import { VizError } from './errors';
import { htmlReport, type ReportParts } from './html-report';
import type { PngOptions } from './render';
import { RUN_FILES, readRunConfig } from './run-config';
import { renderModelParts } from './run-figures';
import { type RunLog, readRunLog } from './run-log';

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
