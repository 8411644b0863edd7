import * as path from 'node:path';
import {
  type BatchIterator,
  batches,
  type ImageSet,
  type ImageSource,
  loadMnist,
  normalize,
  type PixelTransform,
  randomAffine,
  scaleTo01,
  subset,
} from '@cnn/datasets';
import type { AugmentSettings, Normalisation } from '@cnn/zoo';

/** The data of one run: the two splits (cut to the limits) and their batch iterators. */
export interface RunData {
  train: ImageSource;
  test: ImageSource;
  /** The full test split (for the digits and predictions reports). */
  testSet: ImageSet;
  trainSet: ImageSet;
  classNames: readonly string[];
  /** The absolute directory of the IDX files, or undefined for the embedded MNIST. */
  dataDir: string | undefined;
  trainBatches: BatchIterator;
  testBatches: BatchIterator;
  /** Images per training epoch. */
  trainCount: number;
  testCount: number;
}

/** How to load and batch the data of a run. */
export interface RunDataOptions {
  dataDir?: string | undefined;
  /** First N training images. */
  limit?: number | undefined;
  /** First N test images. */
  testLimit?: number | undefined;
  batchSize: number;
  testBatchSize: number;
  shuffle: boolean;
  /** Seed of the data order: epoch `e` visits a permutation of (seed, e). */
  seed: number;
  normalize: Normalisation | null;
  /** Random affine augmentation of the training images (default none). */
  augment?: AugmentSettings | undefined;
}

/** `(x / 255 - mean) / std`, or `x / 255` without a normalisation. */
export function transformOf(norm: Normalisation | null): PixelTransform {
  return norm ? normalize(norm.mean, norm.std) : scaleTo01();
}

function first(set: ImageSet, n: number | undefined): ImageSource {
  if (n === undefined || n >= set.count) return set;
  return subset(
    set,
    Uint32Array.from({ length: n }, (_, i) => i),
  );
}

/**
 * Loads an MNIST-style set (the embedded MNIST, or the IDX files of `dataDir`), keeps the
 * first `limit` training and `testLimit` test images, and batches both: training shuffled
 * by `seed`, test in file order. Images are NHWC `[B, H, W, 1]` float32, labels int32 `[B]`.
 */
export function loadRunData(options: RunDataOptions): RunData {
  const dataDir = options.dataDir === undefined ? undefined : path.resolve(options.dataDir);
  const set = loadMnist(dataDir === undefined ? {} : { dir: dataDir });
  const transform = transformOf(options.normalize);
  const train = first(set.train, options.limit);
  const test = first(set.test, options.testLimit);
  const count = (s: ImageSource) => ('indices' in s ? s.indices.length : s.count);
  return {
    train,
    test,
    trainSet: set.train,
    testSet: set.test,
    classNames: set.classNames,
    dataDir,
    trainBatches: batches(train, {
      batchSize: options.batchSize,
      shuffle: options.shuffle,
      seed: options.seed,
      transform,
      ...(options.augment ? { augment: randomAffine(options.augment) } : {}),
    }),
    testBatches: batches(test, { batchSize: options.testBatchSize, shuffle: false, transform }),
    trainCount: count(train),
    testCount: count(test),
  };
}
