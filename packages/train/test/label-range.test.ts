// Issue 10: class ids the model cannot output are a typed error, in the loss and in fit, and the
// model is not updated by the batch that holds them.
import { caught, describeEachBackend } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { crossEntropy, fit, LabelRangeError, LossInputError, nllLoss, SGD } from '../src';
import { synthetic, syntheticBatches, tinyModel } from './helpers';

describeEachBackend('label range', () => {
  it('crossEntropy: label 7 with 3 logits throws instead of a loss of 0', () => {
    const logits = tf.tensor2d([1, 2, 3, 0, 0, 0], [2, 3]);
    const labels = tf.tensor1d([0, 7], 'int32');
    const e = caught(LabelRangeError, () => crossEntropy(logits, labels));
    expect([e.label, e.row, e.classes, e.fn]).toEqual([7, 1, 3, 'crossEntropy']);
    expect(e).toBeInstanceOf(LossInputError);
    expect(e.message).toBe('crossEntropy: label 7 at row 1 is out of range: the model outputs 3 classes (labels 0..2)');
    tf.dispose([logits, labels]);
  });

  it('nllLoss: negative and fractional class ids throw; 0..C-1 and one-hot rows pass', () => {
    const logProbs = tf.tensor2d([-1, -2, -3, -1, -1, -1], [2, 3]);
    for (const bad of [
      [0, -1],
      [0.5, 1],
    ]) {
      const labels = tf.tensor1d(bad, 'float32');
      expect(caught(LabelRangeError, () => nllLoss(logProbs, labels)).label).toBe(bad.find((v) => v !== 0 && v !== 1));
      labels.dispose();
    }
    const ok = tf.tensor1d([2, 0], 'int32');
    expect(nllLoss(logProbs, ok).dataSync()[0]).toBeCloseTo(2, 5);
    const oneHot = tf.tensor2d([0, 0, 1, 1, 0, 0], [2, 3]);
    expect(nllLoss(logProbs, oneHot).dataSync()[0]).toBeCloseTo(2, 5);
    tf.dispose([logProbs, ok, oneHot]);
  });

  it('fit of a 3-class model on labels up to 9 stops at the first bad batch, naming it, weights untouched', async () => {
    const set = synthetic(24, 5);
    set.labels[13] = 9; // sample 13: batch 2 (of 8) of the unshuffled epoch 1
    const model = await tinyModel();
    const first = syntheticBatches(set, { batchSize: 8, shuffle: false });
    const before = model.stateDict();
    const snapshot = Object.fromEntries(Object.entries(before).map(([k, t]) => [k, Array.from(t.dataSync())]));
    const tensorsBefore = tf.memory().numTensors;
    const err = await fit(model, {
      optimizer: new SGD(model, { lr: 0.1 }),
      epochs: 1,
      train: first,
      progress: 'none',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabelRangeError);
    const e = err as LabelRangeError;
    expect([e.label, e.row, e.classes, e.where]).toEqual([9, 5, 3, { epoch: 1, batch: 2 }]);
    expect(e.message).toBe(
      'epoch 1 batch 2: fit: label 9 at row 5 is out of range: the model outputs 3 classes (labels 0..2)',
    );
    // Batch 1 trained (weights moved), batch 2 did not: the failing step made no update.
    const moved = Object.entries(model.stateDict()).some(([k, t]) =>
      Array.from(t.dataSync()).some((v, i) => v !== snapshot[k]![i]),
    );
    expect(moved).toBe(true);
    expect(tf.memory().numTensors).toBe(tensorsBefore); // plain SGD keeps no state; the batch was freed
    model.dispose();
  });
});
