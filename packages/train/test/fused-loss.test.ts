import { CROSS_ENTROPY, hasFusedKernel, NLL_LOSS, setFusedKernels } from '@cnn/kernels';
import { caught, describeEachBackend, expectClose, randomFloats } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';
import { crossEntropy, LabelRangeError, nllLoss } from '../src';

afterEach(() => {
  setFusedKernels(true);
});

/** A loss and its gradient with fused kernels on or off. */
function lossAndGrad(fused: boolean, f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) {
  const previous = setFusedKernels(fused);
  const { value, grad } = tf.valueAndGrad((l: tf.Tensor) => f(l) as tf.Scalar)(x);
  const out = { value: value.dataSync()[0]!, grad: [...grad.dataSync()] };
  tf.dispose([value, grad]);
  setFusedKernels(previous);
  return out;
}

describeEachBackend(
  'fused cross-entropy and nll agree with the composite ops',
  () => {
    it('the backend has the fused loss kernels', () => {
      expect(hasFusedKernel(CROSS_ENTROPY) && hasFusedKernel(NLL_LOSS)).toBe(true);
    });

    it.each([
      { n: 1, c: 10, scale: 1 }, // batch 1
      { n: 33, c: 7, scale: 3 },
      { n: 4, c: 10, scale: 5e4 }, // exp of these overflows float32 in a naive softmax
    ])('crossEntropy and nllLoss, [$n, $c] logits x $scale: value and gradient, mean and sum', ({ n, c, scale }) => {
      const logits = tf.tensor2d(randomFloats(n * c, n + c, -scale, scale), [n, c]);
      const labels = tf.tensor1d(
        Array.from({ length: n }, (_, i) => (i * 3) % c),
        'int32',
      );
      for (const reduction of ['mean', 'sum'] as const) {
        for (const [what, f] of [
          ['crossEntropy', (l: tf.Tensor) => crossEntropy(l, labels, reduction)],
          ['nllLoss', (l: tf.Tensor) => nllLoss(tf.logSoftmax(l), labels, reduction)],
        ] as const) {
          const composite = lossAndGrad(false, f, logits);
          const fused = lossAndGrad(true, f, logits);
          expect(Number.isFinite(fused.value)).toBe(true);
          expectClose(fused.value, composite.value, { what: `${what} ${reduction} value` });
          expectClose(fused.grad, composite.grad, { what: `${what} ${reduction} gradient` });
        }
      }
      tf.dispose([logits, labels]);
    });

    it('float32 class ids are accepted; a label out of range is a LabelRangeError', () => {
      const logits = tf.tensor2d([1, 2, 3, 0, 0, 0], [2, 3]);
      const ids = tf.tensor1d([2, 0], 'float32');
      const loss = crossEntropy(logits, ids);
      expectClose(loss, (Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3 + Math.log(3)) / 2);
      const bad = tf.tensor1d([0, 3], 'int32');
      expect(caught(LabelRangeError, () => crossEntropy(logits, bad)).label).toBe(3);
      expect(caught(LabelRangeError, () => nllLoss(logits, bad)).row).toBe(1);
      tf.dispose([logits, ids, loss, bad]);
    });
  },
  { backends: ['native', 'wasm'] },
);
