import { useBackend } from '@cnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { countParameters, fastCnn } from '../src/index';

beforeAll(async () => {
  await useBackend('cpu', { quiet: true });
});

// conv 1·16·25 + conv 16·16·9 + conv 16·64·9 (no biases) + batch norms 2·(16 + 16 + 64) + fc 576·10 + 10
const PARAMS = 400 + 2_304 + 9_216 + 192 + 5_770;

it('builds the stated model: [2, 28, 28, 1] to [2, 10] logits, the stated parameters, leaking nothing', () => {
  const before = tf.memory().numTensors;
  const model = fastCnn.build();
  expect(countParameters(model)).toBe(PARAMS);
  expect(fastCnn.params).toBe(PARAMS);
  const y = tf.tidy(() => model.apply(tf.zeros([2, 28, 28, 1])));
  expect(y.shape).toEqual([2, 10]);
  y.dispose();
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

it('trains one epoch in batches of 64 under a one-cycle schedule, tested inside the timed fit', () => {
  expect(fastCnn).toMatchObject({ epochs: 1, batchSize: 64, testBatchSize: 1000, loss: 'cross-entropy' });
  expect(fastCnn.optimizerSettings).toEqual({ kind: 'sgd', lr: 0.1, momentum: 0.9 });
  expect(fastCnn.schedule).toEqual({ kind: 'one-cycle', pctStart: 0.25 });
  expect(fastCnn.goal).toEqual({ percent: 99, epochs: fastCnn.epochs });
  // A test after each epoch runs inside fit, so the summary's wall time includes it.
  expect(fastCnn.reports.find((r) => r.kind === 'test')?.when).toEqual({ everyEpochs: 1 });
  expect(Object.isFrozen(fastCnn)).toBe(true);
});
