import * as tf from '@tensorflow/tfjs-core';
import { type Augmentation, augmentBatch, augmentSeed } from './augment';
import { DatasetArgumentError } from './errors';
import { gatherSamples } from './gather';
import { mixSeed, permutation } from './seeded';
import { describeSource, type ImageSource } from './split';
import { type PixelTransform, scaleTo01 } from './transforms';

/** Options of {@link batches}. */
export interface BatchOptions {
  batchSize: number;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffles; epoch `e` uses a permutation derived from (seed, e). Default 0. */
  seed?: number;
  /** Skip the last, smaller batch of an epoch (default false). */
  dropLast?: boolean;
  /** Pixel transform (default {@link scaleTo01}). */
  transform?: PixelTransform;
  /** Randomly transform each image (e.g. {@link randomAffine}), seeded by (seed, epoch, batch index); default none. */
  augment?: Augmentation;
}

/** One batch: NHWC float32 images and int32 labels. The caller owns (and disposes) the tensors. */
export interface Batch {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
  epoch: number;
  /** Index of the batch within its epoch. */
  index: number;
  /** Positions of the samples within the source. */
  positions: Uint32Array;
  /** The labels of `y` in JavaScript memory (`fit` checks them against the class count); read only. */
  labels: Int32Array;
}

/**
 * Iterates a set (or subset) in batches. Pixels are converted batch by batch into a fresh
 * batch-sized Float32Array that the tensor takes over; the set itself is never copied.
 * Iterating the object directly runs the next epoch; `epoch(e)` runs a given one.
 */
export class BatchIterator implements Iterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  readonly transform: PixelTransform;
  readonly augment: Augmentation | undefined;
  /** Samples in the source. */
  readonly size: number;
  private nextEpoch = 0;

  constructor(
    readonly source: ImageSource,
    options: BatchOptions,
  ) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new DatasetArgumentError({
        code: 'invalid-argument',
        file: describeSource(source).set.imagesFile,
        field: 'batchSize',
        expected: 'a whole number >= 1',
        found: `${batchSize}`,
      });
    }
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed)) {
      throw new DatasetArgumentError({
        code: 'invalid-argument',
        file: describeSource(source).set.imagesFile,
        field: 'seed',
        expected: 'a whole number (e.g. 1)',
        found: typeof seed === 'string' ? `the string '${seed}'` : `${seed}`,
      });
    }
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? true;
    this.seed = seed;
    this.dropLast = options.dropLast ?? false;
    this.transform = options.transform ?? scaleTo01();
    this.augment = options.augment;
    this.size = describeSource(source).count;
  }

  /** Batches per epoch, given `dropLast`. */
  get batchesPerEpoch(): number {
    return this.dropLast ? Math.floor(this.size / this.batchSize) : Math.ceil(this.size / this.batchSize);
  }

  /** The order in which epoch `epoch` visits the source's samples. */
  order(epoch: number): Uint32Array {
    if (this.shuffle) return permutation(this.size, mixSeed(this.seed, epoch));
    const order = new Uint32Array(this.size);
    for (let i = 0; i < this.size; i++) order[i] = i;
    return order;
  }

  /** Yields the batches of epoch `epoch` (tensors are created lazily, one batch at a time). */
  *epoch(epoch: number): Generator<Batch, void, undefined> {
    const order = this.order(epoch);
    const { set } = describeSource(this.source);
    for (let index = 0; index < this.batchesPerEpoch; index++) {
      const positions = order.subarray(index * this.batchSize, Math.min((index + 1) * this.batchSize, this.size));
      const { x, y } = gatherSamples(this.source, positions, this.transform);
      const n = positions.length;
      if (this.augment) {
        const seed = augmentSeed(this.seed, epoch, index);
        // Outside the image is background: raw pixel 0 after the transform.
        augmentBatch(this.augment, x, {
          count: n,
          height: set.height,
          width: set.width,
          seed,
          fill: this.transform.lut[0]!,
        });
      }
      yield {
        x: tf.tensor4d(x, [n, set.height, set.width, 1], 'float32'),
        y: tf.tensor1d(y, 'int32'),
        labels: y,
        epoch,
        index,
        positions,
      };
    }
  }

  /** Runs the next epoch (0, then 1, ...). */
  [Symbol.iterator](): Generator<Batch, void, undefined> {
    return this.epoch(this.nextEpoch++);
  }
}

/** A {@link BatchIterator} over a set or subset. */
export function batches(source: ImageSource, options: BatchOptions): BatchIterator {
  return new BatchIterator(source, options);
}

/** The whole source as two tensors (e.g. a test set for evaluation); the caller disposes them. */
export function toTensors(
  source: ImageSource,
  transform: PixelTransform = scaleTo01(),
): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const { set, count } = describeSource(source);
  const positions = new Uint32Array(count);
  for (let i = 0; i < count; i++) positions[i] = i;
  const { x, y } = gatherSamples(source, positions, transform);
  return { x: tf.tensor4d(x, [count, set.height, set.width, 1], 'float32'), y: tf.tensor1d(y, 'int32') };
}
