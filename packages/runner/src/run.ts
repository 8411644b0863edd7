import * as fs from 'node:fs';
import * as path from 'node:path';
import { useBackend } from '@cnn/backend';
import { manualSeed, saveModel } from '@cnn/layers';
import { type EvaluateResult, evaluate, fit, type History, MetricsLog, OneCycleLR, type TextSink } from '@cnn/train';
import { renderRun } from '@cnn/viz';
import { makeOptimizer } from '@cnn/zoo';
import { loadRunData } from './data';
import { RunDirError } from './errors';
import { randomPredictions, writeFirstDigits } from './extras';
import type { RunFlags } from './flags';
import type { LineFormats, TestLine } from './lines';
import type { AppRecipe } from './recipe';
import { Reporter } from './reporter';
import { defaultRunDir, lastCheckpoint, RUN_DIR_FILES, resumeDir, writeJson } from './run-dir';
import { makeSummary, type RunSummary } from './summary';

/** How an app words and counts what it prints, and where the output goes. */
export interface RunOptions {
  /** The tutorial's wording of its lines (default: the runner's). */
  lines?: LineFormats;
  /** The tutorial counts steps from 0 (default false). */
  zeroBased?: boolean;
  /** Where lines go (default process.stdout; a TTY gets a progress bar). */
  stdout?: TextSink;
  /** Set `requested` to stop after the current step (Ctrl-C). */
  stop?: { requested: boolean };
  /** Base of the default `runs/<app>/<timestamp>` (default the working directory). */
  cwd?: string;
}

/** What a run left behind. */
export interface RunResult {
  outDir: string;
  /** Absent when the run was stopped before the end. */
  summary?: RunSummary;
  /** The report, when one was rendered. */
  reportFile?: string;
  /** Set when stopped early: the step reached and the last checkpoint's step. */
  stopped?: { step: number; checkpointStep: number | undefined };
}

/**
 * Trains `recipe` with `flags` as its app: backend, data, the training loop with the
 * recipe's printed reports, the test, and the run directory (metrics.jsonl, config.json,
 * last.ckpt, model/, summary.json, viz/report.html). Resolves when done or stopped.
 */
export async function runRecipe(recipe: AppRecipe, flags: RunFlags, options: RunOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  const sink = options.stdout ?? process.stdout;
  const tty = Boolean(sink.isTTY);
  const say = (line: string) => sink.write(`${tty ? '\r\x1b[2K' : ''}${line}\n`);
  const backend = await useBackend(flags.backend);
  let imagesSeen = 0;
  const dry = flags.dryRun;
  const batchSize = flags.batchSize;
  const epochs = dry ? 1 : flags.epochs;
  const data = loadRunData({
    dataDir: flags.dataDir,
    limit: dry ? batchSize : flags.limit,
    testLimit: dry ? flags.testBatchSize : flags.testLimit,
    batchSize,
    testBatchSize: flags.testBatchSize,
    shuffle: recipe.shuffle,
    seed: flags.seed,
    normalize: recipe.normalize,
    augment: recipe.augment,
  });
  const cwd = options.cwd ?? process.cwd();
  const outDir = flags.resume
    ? resumeDir(recipe.name, flags.out, cwd)
    : path.resolve(cwd, flags.out ?? defaultRunDir(recipe.name, cwd));
  const metrics = path.join(outDir, RUN_DIR_FILES.metrics);
  if (!flags.resume && fs.existsSync(metrics))
    throw new RunDirError(outDir, 'already holds a run; pass --resume to continue it, or another --out');
  fs.mkdirSync(outDir, { recursive: true });
  await writeJson(path.join(outDir, RUN_DIR_FILES.config), {
    title: `${recipe.id} ${recipe.name}: ${recipe.title}`,
    inputShape: [data.trainSet.height, data.trainSet.width, 1],
    normalize: recipe.normalize ?? { mean: 0, std: 1 },
    classNames: data.classNames,
    ...(data.dataDir ? { dataDir: data.dataDir } : {}),
    app: recipe.name,
    flags: { ...flags, epochs, backend },
  });

  manualSeed(flags.seed);
  const model = recipe.build();
  const optimizer = makeOptimizer({ ...recipe.optimizerSettings, lr: flags.lr }, model);
  const stepsPerEpoch = data.trainBatches.batchesPerEpoch;
  // A one-step run (--dry-run) has no cycle to schedule: it runs at --lr.
  const scheduler =
    recipe.schedule && epochs * stepsPerEpoch > 1
      ? new OneCycleLR(optimizer, { maxLr: flags.lr, epochs, stepsPerEpoch, ...stripKind(recipe.schedule) })
      : undefined;
  const reporter = new Reporter({
    reports: recipe.reports,
    lines: options.lines ?? {},
    zeroBased: options.zeroBased ?? false,
    logInterval: flags.logInterval,
    say,
    trainCount: data.trainCount,
    testCount: data.testCount,
    stepsPerEpoch,
  });
  try {
    if (!flags.resume) {
      if (reporter.at('batch-counts', 'start')) reporter.batchCounts(stepsPerEpoch, data.testBatches.batchesPerEpoch);
      const digits = reporter.at('digits', 'start');
      if (digits) {
        const set = digits.split === 'train' ? data.trainSet : data.testSet;
        const file = writeFirstDigits(set, digits.count, data.classNames, path.join(outDir, 'first-digits.png'));
        say(`the first ${digits.count} ${digits.split === 'train' ? 'training' : 'test'} digits: ${file}`);
      }
    }
    const validation = reporter.validation();
    const tFit = performance.now();
    const cpuFit = process.cpuUsage();
    const history: History = await fit(model, {
      optimizer,
      loss: recipe.lossFn,
      epochs,
      train: data.trainBatches,
      ...(validation === undefined
        ? {}
        : { validate: { data: data.testBatches, ...(validation === 'epoch' ? {} : { every: validation }) } }),
      ...(scheduler ? { scheduler } : {}),
      onBatchEnd: async (info) => {
        imagesSeen += info.size;
        reporter.onBatchEnd(info);
        // The loop never waits for I/O: let a pending Ctrl-C (a signal event) run.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (options.stop?.requested) info.stop();
      },
      onValidation: (rec) => reporter.onValidation(rec),
      logFile: metrics,
      checkpoint: { dir: outDir, every: Math.max(1, Math.ceil(stepsPerEpoch / 4)) },
      ...(flags.resume ? { resumeFrom: outDir } : {}),
      progress: tty ? 'bar' : 'none',
      progressSink: sink,
      stepsPerEpoch,
    });
    const seconds = (performance.now() - tFit) / 1000;
    const cpu = process.cpuUsage(cpuFit);
    if (history.stopReason === 'callback') {
      return { outDir, stopped: { step: history.steps, checkpointStep: lastCheckpoint(metrics)?.step } };
    }
    const lastVal = history.validations.at(-1);
    const final: Pick<EvaluateResult, 'loss' | 'accuracy'> =
      lastVal && lastVal.step === history.steps
        ? lastVal
        : await evaluate(model, data.testBatches, { loss: recipe.lossFn });
    if (final !== lastVal) {
      // The final test, in the log as the validation record fit would write, for the report.
      new MetricsLog(metrics).write({ type: 'validation', epoch: epochs - 1, step: history.steps, ...pick(final) });
    }
    const test: TestLine = reporter.testLine({
      epoch: epochs - 1,
      step: history.steps,
      loss: final.loss,
      accuracy: final.accuracy,
    });
    for (const r of recipe.reports.filter((x) => x.when === 'end')) {
      if (r.kind === 'predictions') {
        const p = randomPredictions(model, data.testSet, {
          count: r.count,
          batchSize: flags.testBatchSize,
          seed: flags.seed,
          normalize: recipe.normalize,
          classNames: data.classNames,
        });
        reporter.predictions(p.truth, p.predicted);
      } else if (r.kind === 'test') reporter.endTest(test);
    }
    await saveModel(model, path.join(outDir, RUN_DIR_FILES.model));
    const summary = makeSummary({
      recipe,
      flags,
      test,
      history,
      trainImages: data.trainCount,
      dataDir: data.dataDir,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      imagesSeen,
      totalSeconds: (performance.now() - t0) / 1000,
    });
    await writeJson(path.join(outDir, RUN_DIR_FILES.summary), summary);
    let reportFile: string | undefined;
    if (flags.report) {
      const rendered = await renderRun(outDir, flags.testLimit ? { limit: flags.testLimit } : {});
      reportFile = rendered.files.at(-1);
      const curves = reporter.at('curves', 'end');
      if (curves) say(`loss and accuracy curves: ${path.join(rendered.outDir, 'curves.png')}`);
    }
    return { outDir, summary, ...(reportFile ? { reportFile } : {}) };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

function pick(r: { loss: number; accuracy: number }): { loss: number; accuracy: number } {
  return { loss: r.loss, accuracy: r.accuracy };
}

function stripKind<T extends { kind: string }>(s: T): Omit<T, 'kind'> {
  const { kind: _kind, ...rest } = s;
  return rest;
}
