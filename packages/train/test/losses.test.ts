import { describeEachBackend, expectClose, fixtureCases } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { crossEntropy, LossInputError, nllLoss } from '../src';

/** A `losses*.json` case: logits [batch, classes], class ids, batch-mean losses and d(cross_entropy)/d(logits). */
interface LossCase {
  logits: number[][];
  labels: number[];
  cross_entropy: number;
  dlogits: number[][];
  log_softmax: number[][];
  nll_of_log_softmax: number;
}
const cases = fixtureCases<LossCase>('losses', {
  required: ['logits', 'labels', 'cross_entropy', 'dlogits', 'log_softmax', 'nll_of_log_softmax'],
});

describeEachBackend('losses match PyTorch', () => {
  for (const { title, data: c } of cases) {
    it(`${title}: cross-entropy value and gradient`, () => {
      const logits = tf.tensor2d(c.logits);
      const labels = tf.tensor1d(c.labels, 'int32');
      const { value, grad } = tf.valueAndGrad((l: tf.Tensor) => crossEntropy(l, labels) as tf.Scalar)(logits);
      expectClose(value, c.cross_entropy, { what: 'cross_entropy' });
      expectClose(grad, c.dlogits, { what: 'dlogits' });
      tf.dispose([logits, labels, value, grad]);
    });

    it(`${title}: nll of log-softmax, one-hot labels, repeated log-softmax`, () => {
      const before = tf.memory().numTensors;
      const logits = tf.tensor2d(c.logits);
      const labels = tf.tensor1d(c.labels, 'int32');
      const oneHot = tf.oneHot(labels, c.logits[0]!.length);
      const logProbs = tf.logSoftmax(logits);
      expectClose(logProbs, c.log_softmax, { what: 'log_softmax' });
      const nll = nllLoss(logProbs, labels);
      const nllOneHot = nllLoss(logProbs, oneHot);
      const twice = crossEntropy(logProbs, labels);
      for (const [what, t] of [
        ['nll', nll],
        ['nll of one-hot', nllOneHot],
        ['cross-entropy of log-softmax', twice],
      ] as const) {
        expectClose(t, c.nll_of_log_softmax, { what });
      }
      const sum = nllLoss(logProbs, labels, 'sum');
      const none = nllLoss(logProbs, labels, 'none');
      expectClose(sum, c.nll_of_log_softmax * c.labels.length, { what: "reduction 'sum'" });
      expect(none.shape).toEqual([c.labels.length]);
      tf.dispose([logits, labels, oneHot, logProbs, nll, nllOneHot, twice, sum, none]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

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
