import { batches, type ImageSet, type ImageSource, loadMnist, normalize, scaleTo01, subset } from '@cnn/datasets';
import { manualSeed } from '@cnn/layers';
import { evaluate, fit } from '@cnn/train';
import type { Recipe } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { countersSince, engineSnapshot } from './engine-stats';
import { GcRecorder } from './gc';

/** Settings of an epoch-mode run (bench_torch.py --epoch gets the same ones). */
export interface EpochOptions {
  /** Epochs per model and backend, each from a fresh model; the median counts. */
  repeats: number;
  /** First N training and first N test images (quick checks); undefined for the whole set. */
  limit: number | undefined;
  seed: number;
}

/** One full epoch of one model on one backend (or PyTorch), with loading and the test pass. */
export interface EpochResult {
  model: string;
  backend: string;
  /** 1-based repeat number. */
  repeat: number;
  batch: number;
  testBatch: number;
  trainImages: number;
  testImages: number;
  steps: number;
  /** Reading the IDX files and setting up the batches. */
  loadSeconds: number;
  trainSeconds: number;
  evalSeconds: number;
  /** load + train + eval: what a user waits for. */
  totalSeconds: number;
  /** Training images per second of the epoch itself. */
  trainImgPerSec: number;
  /** CPU seconds of the training part (process, all threads). */
  trainCpuSeconds: number;
  /** Mean training loss over the epoch. */
  trainLoss: number;
  testAccuracy: number;
  /** GC pause milliseconds during the whole measured span (null for PyTorch). */
  gcMs: number | null;
  fallbacks: Record<string, number> | null;
  pool: { reused: number; allocated: number } | null;
  leakedTensors: number;
  loadBefore?: number;
  loadAfter?: number;
}

function first(set: ImageSet, n: number | undefined): ImageSource {
  if (n === undefined || n >= set.count) return set;
  return subset(
    set,
    Uint32Array.from({ length: n }, (_, i) => i),
  );
}

const countOf = (s: ImageSource) => ('indices' in s ? s.indices.length : s.count);

/**
 * Times what a user of the apps waits for: loading the embedded MNIST through @cnn/datasets and
 * batching it as @cnn/runner does (training shuffled by the seed, the recipe's transform), one
 * epoch of `fit` with the recipe's optimizer and loss at its batch size, and `evaluate` on the
 * test set at the recipe's test batch size.
 */
export async function epochModel(
  spec: Recipe,
  backend: string,
  opts: EpochOptions,
  repeat: number,
): Promise<EpochResult> {
  const counters = engineSnapshot();
  const gc = new GcRecorder();
  manualSeed(opts.seed);
  const model = spec.build();
  const optimizer = spec.optimizer(model);
  try {
    const t0 = performance.now();
    const set = loadMnist();
    const transform = spec.normalize ? normalize(spec.normalize.mean, spec.normalize.std) : scaleTo01();
    const train = first(set.train, opts.limit);
    const test = first(set.test, opts.limit);
    const trainBatches = batches(train, {
      batchSize: spec.batchSize,
      shuffle: spec.shuffle,
      seed: opts.seed,
      transform,
    });
    const testBatches = batches(test, { batchSize: spec.testBatchSize, shuffle: false, transform });
    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    const history = await fit(model, {
      optimizer,
      loss: spec.lossFn,
      epochs: 1,
      train: trainBatches,
      trackAccuracy: false,
      progress: 'none',
    });
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu1);
    const result = await evaluate(model, testBatches, { loss: spec.lossFn });
    const t3 = performance.now();
    const engine = countersSince(counters, engineSnapshot());
    const gcMs = await gc.msBetween(t0, t3);
    const trainImages = countOf(train);
    return {
      model: spec.id,
      backend,
      repeat,
      batch: spec.batchSize,
      testBatch: spec.testBatchSize,
      trainImages,
      testImages: countOf(test),
      steps: history.steps,
      loadSeconds: (t1 - t0) / 1000,
      trainSeconds: (t2 - t1) / 1000,
      evalSeconds: (t3 - t2) / 1000,
      totalSeconds: (t3 - t0) / 1000,
      trainImgPerSec: trainImages / ((t2 - t1) / 1000),
      trainCpuSeconds: (cpu.user + cpu.system) / 1e6,
      trainLoss: history.epochs[0]?.loss ?? Number.NaN,
      testAccuracy: result.accuracy,
      gcMs,
      fallbacks: backend === 'native' ? engine.fallbacks : null,
      pool: backend === 'native' ? engine.pool : null,
      leakedTensors: 0,
    };
  } finally {
    gc.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

/** epochModel, then the tensor count against before (must be 0 once the model is disposed). */
export async function epochWithLeakCheck(
  spec: Recipe,
  backend: string,
  opts: EpochOptions,
  repeat: number,
): Promise<EpochResult> {
  const before = tf.memory().numTensors;
  const r = await epochModel(spec, backend, opts, repeat);
  r.leakedTensors = tf.memory().numTensors - before;
  return r;
}
