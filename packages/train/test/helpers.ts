import { loadMnistSplit } from '@cnn/datasets';
import * as tf from '@tensorflow/tfjs-core';

/** The first `n` MNIST training images as NHWC float32 (scaled to [0,1], then normalised). */
export function mnistTrainHead(n: number, mean = 0, std = 1): { x: Float32Array; y: Int32Array } {
  const set = loadMnistSplit('train');
  const size = set.height * set.width;
  const x = new Float32Array(n * size);
  for (let i = 0; i < n * size; i++) x[i] = (set.images[i]! / 255 - mean) / std;
  return { x, y: Int32Array.from(set.labels.subarray(0, n)) };
}

/** Batches of `batchSize` in an order shuffled from (seed, epoch) only, so resume can replay it. */
export function seededBatches(x: Float32Array, y: Int32Array, batchSize: number, seed: number) {
  const n = y.length;
  const pixels = x.length / n;
  const side = Math.round(Math.sqrt(pixels));
  return function* (epoch: number) {
    const order = Array.from({ length: n }, (_, i) => i);
    let s = (seed * 2654435761 + epoch * 40503 + 1) >>> 0;
    for (let i = n - 1; i > 0; i--) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const j = s % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let start = 0; start < n; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      const bx = new Float32Array(idx.length * pixels);
      idx.forEach((k, r) => {
        bx.set(x.subarray(k * pixels, (k + 1) * pixels), r * pixels);
      });
      yield {
        x: tf.tensor4d(bx, [idx.length, side, side, 1]),
        y: tf.tensor1d(
          idx.map((k) => y[k]!),
          'int32',
        ),
      };
    }
  };
}

/** A tiny classifier for 8x8 single-channel images into 3 classes (fast on every backend). */
export async function tinyModel(withDropout = false) {
  const { Conv2d, Dropout, Flatten, Linear, ReLU, Sequential } = await import('@cnn/layers');
  const layers = [new Conv2d(1, 2, 3, { stride: 2 }), new ReLU(), new Flatten()];
  if (withDropout) layers.push(new Dropout(0.25));
  return new Sequential(...layers, new Linear(18, 3));
}

/**
 * Synthetic 8x8 images whose class (0..2) is which third of the image is bright, plus noise
 * from a fixed LCG, so it is learnable and identical everywhere.
 */
export function synthetic(n: number, seed = 1): { x: Float32Array; y: Int32Array } {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const x = new Float32Array(n * 64);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * 3);
    y[i] = c;
    for (let p = 0; p < 64; p++) {
      const col = p % 8;
      const bright = Math.floor((col * 3) / 8) === c ? 1 : 0;
      x[i * 64 + p] = bright + (rand() - 0.5) * 0.8;
    }
  }
  return { x, y };
}
