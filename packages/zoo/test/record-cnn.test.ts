import { useBackend } from '@cnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { countParameters, recordCnn } from '../src/index';

beforeAll(async () => {
  await useBackend('cpu', { quiet: true });
});

// conv 1·32·25 + conv 32·64·9 + conv 64·128·9 (no biases) + batch norms 2·(32 + 64 + 128) + fc 1152·10 + 10
const PARAMS = 800 + 18_432 + 73_728 + 448 + 11_530;

it('builds the stated model: [2, 28, 28, 1] to [2, 10], the stated parameters, leaking nothing', () => {
  const before = tf.memory().numTensors;
  const model = recordCnn.build();
  expect(countParameters(model)).toBe(PARAMS);
  expect(recordCnn.params).toBe(PARAMS);
  const y = tf.tidy(() => model.apply(tf.zeros([2, 28, 28, 1])));
  expect(y.shape).toEqual([2, 10]);
  y.dispose();
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

it('declares batch norm, augmentation, a one-cycle schedule and the 99.6% goal', () => {
  expect(recordCnn.augment).toEqual({ degrees: 10, shift: 2, scale: [0.9, 1.1] });
  expect(recordCnn.schedule?.kind).toBe('one-cycle');
  expect(recordCnn.goal).toEqual({ percent: 99.6, epochs: recordCnn.epochs });
  expect(recordCnn.optimizerSettings).toEqual({ kind: 'sgd', lr: 0.2, momentum: 0.9 });
  expect(Object.isFrozen(recordCnn)).toBe(true);
});
