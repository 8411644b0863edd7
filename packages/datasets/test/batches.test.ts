import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  batches,
  DatasetArgumentError,
  gatherSamples,
  type ImageSet,
  loadMnist,
  loadMnistSplit,
  MNIST_MEAN_STD,
  normalize,
  subset,
  toTensors,
  trainValidationSplit,
} from '../src/index';
import { removeDir, tempDir, writeTinySet } from './helpers';

const dir = tempDir();
let tiny: ImageSet;
beforeAll(async () => {
  await tf.setBackend('cpu');
  writeTinySet(dir, { train: 10, test: 5, height: 2, width: 2 });
  tiny = loadMnistSplit('train', { dir });
});
afterAll(() => removeDir(dir));

describe('batch iterator', () => {
  test('unshuffled batches of 4 over 10 samples: sizes 4, 4, 2 with the right pixels and labels', () => {
    const it = batches(tiny, { batchSize: 4, shuffle: false, transform: normalize(0, 1 / 255) });
    expect(it.batchesPerEpoch).toBe(3);
    const seen: number[][] = [];
    for (const batch of it) {
      expect(batch.x.dtype).toBe('float32');
      expect(batch.y.dtype).toBe('int32');
      expect(batch.x.shape.slice(1)).toEqual([2, 2, 1]);
      seen.push(Array.from(batch.y.dataSync()));
      if (batch.index === 1) expect(Array.from(batch.x.dataSync()).slice(0, 4)).toEqual([28, 29, 30, 31]);
      tf.dispose([batch.x, batch.y]);
    }
    expect(seen).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  test('dropLast drops the short batch', () => {
    const it = batches(tiny, { batchSize: 4, dropLast: true });
    const sizes = [...it].map((b) => {
      const n = b.x.shape[0];
      tf.dispose([b.x, b.y]);
      return n;
    });
    expect(sizes).toEqual([4, 4]);
  });

  test('seeded shuffle: a permutation per epoch, different across epochs, same for the same seed', () => {
    const it = batches(tiny, { batchSize: 3, seed: 7 });
    const epochLabels = (source: Iterable<{ x: tf.Tensor; y: tf.Tensor }>) =>
      [...source].flatMap((b) => {
        const labels = Array.from(b.y.dataSync());
        tf.dispose([b.x, b.y]);
        return labels;
      });
    const e0 = epochLabels(it);
    const e1 = epochLabels(it);
    expect([...e0].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e1).not.toEqual(e0);
    expect(epochLabels(batches(tiny, { batchSize: 3, seed: 7 }).epoch(1))).toEqual(e1);
    expect(epochLabels(batches(tiny, { batchSize: 3, seed: 8 }).epoch(0))).not.toEqual(e0);
  });

  test('earlier batches stay intact while later ones are produced', () => {
    const all = [...batches(tiny, { batchSize: 5, shuffle: false })];
    expect(Array.from(all[0]!.y.dataSync())).toEqual([0, 1, 2, 3, 4]);
    expect(all[0]!.x.dataSync()[4]).toBeCloseTo(7 / 255, 6);
    expect(all[1]!.x.dataSync()[0]).toBeCloseTo(35 / 255, 6);
    tf.dispose(all.flatMap((b) => [b.x, b.y]));
  });

  test('no tensors leak across a full MNIST epoch slice; shapes are NHWC [n, 28, 28, 1]', () => {
    const mnist = loadMnist();
    const before = tf.memory().numTensors;
    let steps = 0;
    for (const batch of batches(mnist.train, {
      batchSize: 128,
      seed: 1,
      transform: normalize(MNIST_MEAN_STD.mean, MNIST_MEAN_STD.std),
    })) {
      expect(batch.x.shape).toEqual([128, 28, 28, 1]);
      tf.dispose([batch.x, batch.y]);
      expect(tf.memory().numTensors).toBe(before);
      if (++steps === 20) break;
    }
    expect(steps).toBe(20);
  });

  test('bad batch size is a typed error', () => {
    expect(() => batches(tiny, { batchSize: 0 })).toThrow(DatasetArgumentError);
    expect(() => batches(tiny, { batchSize: 2.5 })).toThrow(
      /batchSize is wrong: expected a whole number >= 1, found 2.5/,
    );
  });
});

describe('train/validation split', () => {
  test('disjoint, covering, seeded, and no pixel copy', () => {
    const { train, validation } = trainValidationSplit(tiny, { validation: 0.3, seed: 3 });
    expect(train.indices.length).toBe(7);
    expect(validation.indices.length).toBe(3);
    expect(train.set.images).toBe(tiny.images);
    expect([...train.indices, ...validation.indices].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const again = trainValidationSplit(tiny, { validation: 3, seed: 3 });
    expect(Array.from(again.validation.indices)).toEqual(Array.from(validation.indices));
    const ordered = trainValidationSplit(tiny, { validation: 2, shuffle: false });
    expect(Array.from(ordered.validation.indices)).toEqual([8, 9]);
  });

  test('batches and tensors over a subset go through its indices', () => {
    const part = subset(tiny, new Uint32Array([9, 2, 5]));
    const { x, y } = gatherSamples(part, [2, 0]);
    expect(Array.from(y)).toEqual([5, 9]);
    expect(x[0]).toBeCloseTo(35 / 255, 6);
    const [batch] = [...batches(part, { batchSize: 8, shuffle: false })];
    expect(Array.from(batch!.y.dataSync())).toEqual([9, 2, 5]);
    tf.dispose([batch!.x, batch!.y]);
    const all = toTensors(part);
    expect(all.x.shape).toEqual([3, 2, 2, 1]);
    expect(Array.from(all.y.dataSync())).toEqual([9, 2, 5]);
    tf.dispose([all.x, all.y]);
  });

  test('bad split sizes and subset indices are typed errors', () => {
    expect(() => trainValidationSplit(tiny, { validation: 10 })).toThrow(DatasetArgumentError);
    expect(() => trainValidationSplit(tiny, { validation: 0 })).toThrow(
      /expected a fraction in \(0, 1\) or a whole number of samples in 1..9, found 0/,
    );
    expect(() => trainValidationSplit(tiny, { validation: 0.01 })).toThrow(DatasetArgumentError);
    expect(() => subset(tiny, new Uint32Array([3, 10]))).toThrow(
      /subset index 1 is wrong: expected a sample index below 10, found 10/,
    );
  });

  test('the MNIST test set as one tensor pair', () => {
    const test = loadMnistSplit('test');
    const { x, y } = toTensors(test);
    expect(x.shape).toEqual([10000, 28, 28, 1]);
    const mean = tf.mean(x);
    expect(mean.dataSync()[0]).toBeCloseTo(0.13251, 4);
    expect(Array.from(y.dataSync().subarray(0, 3))).toEqual([7, 2, 1]);
    tf.dispose([x, y, mean]);
  });
});
