import type { MnistDataset } from '@cnn/datasets';
import { manualSeed, type Module } from '@cnn/layers';
import { type LossFn, trainStep } from '@cnn/train';
import { countParameters, type Recipe, type RecipeOptimizer } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { imageBatch, labelBatch } from './data';
import { countersSince, engineSnapshot } from './engine-stats';
import { GcRecorder } from './gc';
import { median } from './median';
import { type Window, timedWindow } from './window';

/** Settings shared by every model of a step-mode run (the PyTorch script gets the same ones). */
export interface MeasureOptions {
  /** Each timed window runs at least this many training steps… */
  steps: number;
  /** …and at least this many seconds (so that GC and warm-up effects are inside the window). */
  seconds: number;
  /** Untimed steps first: at least `warmup` of them and at least `warmupSeconds` seconds. */
  warmup: number;
  warmupSeconds: number;
  inferImages: number;
  inferBatch: number;
  /** Timed windows of training and of inference; the median counts. */
  repeats: number;
  seed: number;
}

/** One model on one backend in step mode. Throughputs are images per second, medians over the windows. */
export interface ModelResult {
  model: string;
  backend: string;
  params: number;
  batch: number;
  warmup: number;
  repeats: number;
  trainStepsAll: number[];
  trainSecondsAll: number[];
  trainImgPerSecAll: number[];
  trainImgPerSec: number;
  /** CPU milliseconds per training step (process, all threads), median over the windows. */
  trainCpuMsPerStep: number;
  /** Loss of the last step (sanity: finite). */
  finalLoss: number;
  inferBatch: number;
  inferImagesAll: number[];
  inferSecondsAll: number[];
  inferImgPerSecAll: number[];
  inferImgPerSec: number;
  /** GC pause milliseconds per training step over the timed windows (null for PyTorch). */
  gcMsPerStep: number | null;
  /** cpu fallbacks per kernel during this model (native only; null when not counted). */
  fallbacks: Record<string, number> | null;
  /** Buffer-pool outputs reused / newly allocated during this model (native only). */
  pool: { reused: number; allocated: number } | null;
  /** `tf.memory().numTensors` after the model and its batches were disposed minus before: must be 0. */
  leakedTensors: number;
  /** 1-minute load average before and after this row's process (set by the parent). */
  loadBefore?: number;
  loadAfter?: number;
}

/** Distinct training batches a window cycles through (built before the clock starts). */
export const BATCH_POOL = 64;

/** Start of training batch `i`: consecutive windows over the training set (same formula in bench_torch.py). */
export function batchStart(i: number, batch: number, total: number): number {
  return (i * batch) % (total - batch + 1);
}

/**
 * Trains the zoo recipe's model for `warmup` untimed steps (lasting at least `warmupSeconds`),
 * then `repeats` timed windows of at least `steps` steps and `seconds` seconds each (forward,
 * loss, backward, optimizer update, the loss read back every step as a loop that prints it would),
 * then `repeats` inference windows of whole passes over `inferImages` test images at `inferBatch`
 * in eval mode, classes read back.
 * Medians count. Training cycles through BATCH_POOL consecutive batches built beforehand.
 */
export async function measureModel(
  spec: Recipe,
  data: MnistDataset,
  backend: string,
  opts: MeasureOptions,
): Promise<ModelResult> {
  const before = tf.memory().numTensors;
  const counters = engineSnapshot();
  const gc = new GcRecorder();
  manualSeed(opts.seed);
  const model = spec.build();
  const optimizer = spec.optimizer(model);
  const { train, test } = data;
  const batches = Array.from({ length: BATCH_POOL }, (_, i) => {
    const start = batchStart(i, spec.batchSize, train.count);
    return {
      x: imageBatch(train.images, train.count, train.height, train.width, start, spec.batchSize, spec.normalize),
      y: labelBatch(train.labels, start, spec.batchSize),
    };
  });
  const inferCount = Math.min(opts.inferImages, test.count);
  const inferBatches: tf.Tensor4D[] = [];
  for (let s = 0; s < inferCount; s += opts.inferBatch) {
    const n = Math.min(opts.inferBatch, inferCount - s);
    inferBatches.push(imageBatch(test.images, test.count, test.height, test.width, s, n, spec.normalize));
  }
  let result: ModelResult;
  try {
    model.train();
    let loss = Number.NaN;
    let i = 0;
    const step = async () => {
      const b = batches[i++ % BATCH_POOL]!;
      loss = await timedStep(model, optimizer, spec.lossFn, b.x, b.y);
      return spec.batchSize;
    };
    const warmupEnd = performance.now() + opts.warmupSeconds * 1000;
    for (let w = 0; w < opts.warmup || performance.now() < warmupEnd; w++) await step();
    const trainWindows: Window[] = [];
    let gcMs = 0;
    for (let r = 0; r < opts.repeats; r++) {
      const win = await timedWindow(step, opts.steps, opts.seconds);
      gcMs += await gc.msBetween(win.startedAt, win.startedAt + win.seconds * 1000);
      trainWindows.push(win);
    }

    model.eval();
    await predict(model, inferBatches[0]!); // warm-up batch, not timed
    const pass = async () => {
      let predicted = 0;
      for (const x of inferBatches) predicted += (await predict(model, x)).length;
      return predicted;
    };
    const inferWindows: Window[] = [];
    for (let r = 0; r < opts.repeats; r++) inferWindows.push(await timedWindow(pass, 1, opts.seconds));

    const rates = (ws: Window[]) => ws.map((w) => w.images / w.seconds);
    const steps = trainWindows.reduce((n, w) => n + w.calls, 0);
    const engine = countersSince(counters, engineSnapshot());
    result = {
      model: spec.id,
      backend,
      params: countParameters(model),
      batch: spec.batchSize,
      warmup: opts.warmup,
      repeats: opts.repeats,
      trainStepsAll: trainWindows.map((w) => w.calls),
      trainSecondsAll: trainWindows.map((w) => w.seconds),
      trainImgPerSecAll: rates(trainWindows),
      trainImgPerSec: median(rates(trainWindows)),
      trainCpuMsPerStep: median(trainWindows.map((w) => (w.cpuSeconds * 1000) / w.calls)),
      finalLoss: loss,
      inferBatch: opts.inferBatch,
      inferImagesAll: inferWindows.map((w) => w.images),
      inferSecondsAll: inferWindows.map((w) => w.seconds),
      inferImgPerSecAll: rates(inferWindows),
      inferImgPerSec: median(rates(inferWindows)),
      gcMsPerStep: gcMs / steps,
      fallbacks: backend === 'native' ? engine.fallbacks : null,
      pool: backend === 'native' ? engine.pool : null,
      leakedTensors: 0,
    };
  } finally {
    gc.dispose();
    for (const b of batches) tf.dispose([b.x, b.y]);
    tf.dispose(inferBatches);
    optimizer.dispose();
    model.dispose();
  }
  result.leakedTensors = tf.memory().numTensors - before;
  return result;
}

/**
 * One training step with @cnn/train's `trainStep` and the recipe's loss (cross-entropy on
 * logits, or NLL on the log-probabilities of 000 and 001); resolves to the loss, read back.
 */
export async function timedStep(
  model: Module,
  optimizer: RecipeOptimizer,
  lossFn: LossFn,
  x: tf.Tensor,
  y: tf.Tensor,
): Promise<number> {
  const { loss, output } = trainStep(model, optimizer, lossFn, { x, y });
  output.dispose();
  const value = (await loss.data())[0]!;
  loss.dispose();
  return value;
}

/** Predicted class ids of one batch. */
export async function predict(model: Module, x: tf.Tensor): Promise<Int32Array> {
  const ids = tf.tidy(() => tf.argMax(model.apply(x), 1));
  const out = (await ids.data()) as Int32Array;
  ids.dispose();
  return out;
}
