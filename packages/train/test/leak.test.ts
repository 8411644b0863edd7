import { describeEachBackend } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Adam, fit, SGD } from '../src';
import { head, synthetic, syntheticBatches, tinyModel } from './helpers';

describeEachBackend('no tensor leaks over 500 steps', () => {
  for (const kind of ['sgd-momentum', 'adam'] as const) {
    it(`${kind}: numTensors after step 1 equals after step 500; nothing left after fit`, async () => {
      const model = await tinyModel(true);
      const optimizer =
        kind === 'adam'
          ? new Adam(model, { lr: 1e-2 })
          : new SGD(model, { lr: 0.05, momentum: 0.9, weightDecay: 1e-4 });
      const set = synthetic(200);
      const start = tf.memory().numTensors;
      const counts = new Map<number, number>();
      const history = await fit(model, {
        optimizer,
        epochs: 50,
        train: syntheticBatches(set, { batchSize: 20, seed: 3 }),
        validate: { data: syntheticBatches(head(set, 40), { batchSize: 20, seed: 0 }), every: 100 },
        clipGradNorm: 5,
        progress: 'none',
        onBatchEnd: (b) => {
          if (b.step === 1 || b.step === 500) counts.set(b.step, tf.memory().numTensors);
          if (b.step % 50 === 0) b.runningLoss();
        },
      });
      expect(history.steps).toBe(500);
      expect(counts.get(500)).toBe(counts.get(1));
      const stateTensors = kind === 'adam' ? 2 * 4 : 4;
      expect(tf.memory().numTensors).toBe(start + stateTensors);
      expect(history.epochs.at(-1)!.accuracy).toBeGreaterThan(0.9);
      optimizer.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(start - 4);
    });
  }
});
