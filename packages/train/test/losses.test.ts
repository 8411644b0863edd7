import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { crossEntropy, LossInputError, nllLoss } from '../src';
import { closeTo, describeEachBackend, readFixture } from './backends';

interface LossCase {
  logits: number[][];
  labels: number[];
  cross_entropy: number;
  dlogits: number[][];
  log_softmax: number[][];
  nll_of_log_softmax: number;
}
const { cases } = await readFixture<{ cases: LossCase[] }>('losses.json');

describeEachBackend('losses match PyTorch', () => {
  cases.forEach((c, i) => {
    it(`case ${i}: cross-entropy value and gradient`, () => {
      const logits = tf.tensor2d(c.logits);
      const labels = tf.tensor1d(c.labels, 'int32');
      const { value, grad } = tf.valueAndGrad((l: tf.Tensor) => crossEntropy(l, labels) as tf.Scalar)(logits);
      expect(closeTo(value.dataSync(), [c.cross_entropy], 1e-4, 1e-5)).toBeLessThanOrEqual(0);
      expect(closeTo(grad.dataSync(), c.dlogits.flat(), 1e-4, 1e-5)).toBeLessThanOrEqual(0);
      tf.dispose([logits, labels, value, grad]);
    });

    it(`case ${i}: nll of log-softmax, one-hot labels, repeated log-softmax`, () => {
      const before = tf.memory().numTensors;
      const logits = tf.tensor2d(c.logits);
      const labels = tf.tensor1d(c.labels, 'int32');
      const oneHot = tf.oneHot(labels, c.logits[0]!.length);
      const logProbs = tf.logSoftmax(logits);
      expect(closeTo(logProbs.dataSync(), c.log_softmax.flat(), 1e-4, 1e-5)).toBeLessThanOrEqual(0);
      const nll = nllLoss(logProbs, labels);
      const nllOneHot = nllLoss(logProbs, oneHot);
      const twice = crossEntropy(logProbs, labels);
      for (const t of [nll, nllOneHot, twice]) {
        expect(closeTo(t.dataSync(), [c.nll_of_log_softmax], 1e-4, 1e-5)).toBeLessThanOrEqual(0);
      }
      const sum = nllLoss(logProbs, labels, 'sum');
      const none = nllLoss(logProbs, labels, 'none');
      expect(sum.dataSync()[0]).toBeCloseTo(c.nll_of_log_softmax * c.labels.length, 3);
      expect(none.shape).toEqual([c.labels.length]);
      tf.dispose([logits, labels, oneHot, logProbs, nll, nllOneHot, twice, sum, none]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  it('is stable for huge logits', () => {
    const logits = tf.tensor2d([[1000, 0, -1000]]);
    const labels = tf.tensor1d([1], 'int32');
    const loss = crossEntropy(logits, labels);
    expect(loss.dataSync()[0]).toBeCloseTo(1000, 3);
    tf.dispose([logits, labels, loss]);
  });

  it('rejects bad shapes with LossInputError naming them', () => {
    const logits = tf.zeros([4, 10]);
    const bad = [
      [tf.zeros([4]), tf.zeros([4], 'int32'), /rank 2/],
      [logits, tf.zeros([3], 'int32'), /4 rows but labels have 3/],
      [logits, tf.zeros([4, 9]), /\[4,10\]/],
      [logits, tf.zeros([4, 10, 1]), /class ids or/],
    ] as const;
    for (const [out, lab, msg] of bad) {
      expect(() => crossEntropy(out, lab)).toThrow(LossInputError);
      expect(() => nllLoss(out, lab)).toThrow(msg);
    }
    expect(() => nllLoss(logits, tf.zeros([4], 'int32'), 'avg' as never)).toThrow(/reduction/);
  });
});
