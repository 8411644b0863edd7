import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ImageSet, permutation, subset, toTensors } from '@cnn/datasets';
import type { Module } from '@cnn/layers';
import { predict } from '@cnn/train';
import { renderDigitGrid } from '@cnn/viz';
import type { Normalisation } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { transformOf } from './data';

/**
 * Draws the first `count` images of `set` with their labels to `file` (PNG), as tutorial 004
 * plots its first 40 training digits. Returns the file.
 */
export function writeFirstDigits(set: ImageSet, count: number, classNames: readonly string[], file: string): string {
  const n = Math.min(count, set.count);
  const png = renderDigitGrid(
    { images: set.images, height: set.height, width: set.width },
    {
      count: n,
      labels: set.labels,
      classNames,
      title: `The first ${n} ${set.split === 'train' ? 'training' : 'test'} images`,
    },
  ).png;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, png);
  return file;
}

/**
 * Ground truth and prediction for `count` random images of the first test batch (the first
 * `batchSize` test images), chosen by `seed`, as tutorial 001 prints them. Class names.
 */
export function randomPredictions(
  model: Module,
  test: ImageSet,
  options: {
    count: number;
    batchSize: number;
    seed: number;
    normalize: Normalisation | null;
    classNames: readonly string[];
  },
): { truth: string[]; predicted: string[] } {
  const n = Math.min(options.batchSize, test.count);
  const picks = Array.from(permutation(n, options.seed).slice(0, Math.min(options.count, n)));
  const { x, y } = toTensors(subset(test, Uint32Array.from(picks)), transformOf(options.normalize));
  try {
    const out = predict(model, x);
    const predicted = Array.from(tf.tidy(() => tf.argMax(out, 1)).dataSync() as Int32Array);
    out.dispose();
    const labels = Array.from(y.dataSync());
    const name = (c: number) => options.classNames[c] ?? String(c);
    return { truth: labels.map(name), predicted: predicted.map(name) };
  } finally {
    x.dispose();
    y.dispose();
  }
}
