import type { MnistDataset } from '@cnn/datasets';
import { manualSeed, type Module } from '@cnn/layers';
import { type LossFn, trainStep } from '@cnn/train';
import { countParameters, type Recipe, type RecipeOptimizer } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { imageBatch, labelBatch } from './data';

/** Settings shared by every model of a run (the PyTorch script gets the same ones). */
export interface MeasureOptions {
  steps: number;
  warmup: number;
  inferImages: number;
  inferBatch: number;
  /** Timed repetitions of the training block and of the inference pass; the best counts. */
  repeats: number;
  seed: number;
}

/** One model on one backend. Throughputs are images per second. */
export interface ModelResult {
  model: string;
  backend: string;
  params: number;
  batch: number;
  steps: number;
  warmup: number;
  repeats: number;
  /** Seconds of the fastest timed block of `steps` steps. */
  trainSeconds: number;
  /** Seconds of every timed block, in order. */
  trainSecondsAll: number[];
  trainImgPerSec: number;
  /** Loss of the last timed step (sanity: finite, falling for the faster-learning models). */
  finalLoss: number;
  inferImages: number;
  inferBatch: number;
  /** Seconds of the fastest inference pass. */
  inferSeconds: number;
  inferSecondsAll: number[];
  inferImgPerSec: number;
  /** `tf.memory().numTensors` after the model and its batches were disposed minus before: must be 0. */
  leakedTensors: number;
  /** 1-minute load average when this row's process started (set by the parent). */
  loadAverage?: number;
}

/** Start of training batch `i`: consecutive windows over the training set (same formula in bench_torch.py). */
export function batchStart(i: number, batch: number, total: number): number {
  return (i * batch) % (total - batch + 1);
}

/**
 * Trains the zoo recipe's model for `warmup` untimed steps, then `repeats` timed blocks of `steps`
 * steps each (forward, loss, backward, optimizer update, loss read back every step as a
 * training loop that prints it would), then times `repeats` inference passes over
 * `inferImages` test images at `inferBatch` in eval mode, reading the predicted classes
 * back. The fastest block and pass count (other work on the machine only ever slows a run
 * down). Batches are built before the clock starts.
 */
export async function measureModel(
  spec: Recipe,
  data: MnistDataset,
  backend: string,
  opts: MeasureOptions,
): Promise<ModelResult> {
  const before = tf.memory().numTensors;
  manualSeed(opts.seed);
  const model = spec.build();
  const optimizer = spec.optimizer(model);
  const { train, test } = data;
  const total = opts.warmup + opts.steps * opts.repeats;
  const batches = Array.from({ length: total }, (_, i) => {
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
    const trainSecondsAll: number[] = [];
    let t0 = 0;
    for (let i = 0; i < total; i++) {
      if (i >= opts.warmup && (i - opts.warmup) % opts.steps === 0) t0 = performance.now();
      const b = batches[i]!;
      loss = await timedStep(model, optimizer, spec.lossFn, b.x, b.y);
      if (i >= opts.warmup && (i - opts.warmup) % opts.steps === opts.steps - 1) {
        trainSecondsAll.push((performance.now() - t0) / 1000);
      }
    }
    const trainSeconds = Math.min(...trainSecondsAll);

    model.eval();
    await predict(model, inferBatches[0]!); // warm-up batch, not timed
    const inferSecondsAll: number[] = [];
    let predicted = 0;
    for (let r = 0; r < opts.repeats; r++) {
      const t1 = performance.now();
      predicted = 0;
      for (const x of inferBatches) predicted += (await predict(model, x)).length;
      inferSecondsAll.push((performance.now() - t1) / 1000);
    }
    const inferSeconds = Math.min(...inferSecondsAll);

    const params = countParameters(model);
    result = {
      model: spec.id,
      backend,
      params,
      batch: spec.batchSize,
      steps: opts.steps,
      warmup: opts.warmup,
      repeats: opts.repeats,
      trainSeconds,
      trainSecondsAll,
      trainImgPerSec: (opts.steps * spec.batchSize) / trainSeconds,
      finalLoss: loss,
      inferImages: predicted,
      inferBatch: opts.inferBatch,
      inferSeconds,
      inferSecondsAll,
      inferImgPerSec: predicted / inferSeconds,
      leakedTensors: 0,
    };
  } finally {
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
 * logits, or NLL on the log-probabilities of 000 and 001); resolves to the loss, read back
 * from the backend.
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
