// A recipe's `augment` reaches the training batches (seeded, as the recipe says) and never the test.
import { useBackend } from '@cnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { loadRunData, type RunDataOptions } from '../src/index';

beforeAll(async () => {
  await useBackend('cpu', { quiet: true });
});

const options: RunDataOptions = {
  limit: 64,
  testLimit: 32,
  batchSize: 32,
  testBatchSize: 32,
  shuffle: true,
  seed: 4,
  normalize: { mean: 0.1307, std: 0.3081 },
};

function firstBatches(o: RunDataOptions): { train: Float32Array; test: Float32Array } {
  const data = loadRunData(o);
  const read = (it: Iterable<{ x: tf.Tensor; y: tf.Tensor }>) => {
    for (const b of it) {
      const values = b.x.dataSync() as Float32Array;
      tf.dispose([b.x, b.y]);
      return values;
    }
    throw new Error('no batch');
  };
  return { train: read(data.trainBatches.epoch(0)), test: read(data.testBatches.epoch(0)) };
}

it('augments the training batches only, the same way for the same seed', () => {
  const before = tf.memory().numTensors;
  const plain = firstBatches(options);
  const augmented = firstBatches({ ...options, augment: { degrees: 20, shift: 2 } });
  const again = firstBatches({ ...options, augment: { degrees: 20, shift: 2 } });
  expect(augmented.train).not.toEqual(plain.train);
  expect(augmented.train).toEqual(again.train);
  expect(augmented.test).toEqual(plain.test);
  // Same digits in the same order: only their pixels moved, and the background stays the background.
  expect(Math.min(...augmented.train)).toBeCloseTo(-0.1307 / 0.3081, 5);
  expect(tf.memory().numTensors).toBe(before);
});

it('a bad augment setting is a typed error naming it', () => {
  expect(() => loadRunData({ ...options, augment: { scale: [-1, 1] } })).toThrow(/scale is wrong/);
});
