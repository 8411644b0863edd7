import { CROSS_ENTROPY, hasFusedKernel, NLL_LOSS, setFusedKernels } from '@cnn/kernels';
import { manualSeed, type Sequential } from '@cnn/layers';
import { caught, describeEachBackend, expectClose, randomFloats } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';
import { crossEntropy, LabelRangeError, type LossFn, nllLoss } from '../src';
import { batchnormCnn, smallCnn } from './fused-models';

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

/**
 * `steps` training steps of a fresh model (plain SGD written here with tfjs ops, so that only the
 * fused layer and loss kernels differ between the two runs); every loss, the final state.
 */
function train(fused: boolean, build: () => Sequential, loss: LossFn, batch: number, steps: number) {
  const previous = setFusedKernels(fused);
  manualSeed(3);
  const model = build();
  const params = model.parameters();
  const losses: number[] = [];
  model.train();
  for (let s = 0; s < steps; s++) {
    const x = tf.tensor(randomFloats(batch * 784, 10 + s, -1, 1), [batch, 28, 28, 1]);
    const y = tf.tensor1d(
      Array.from({ length: batch }, (_, i) => (i * 7 + s) % 10),
      'int32',
    );
    const { value, grads } = tf.variableGrads(() => loss(model.apply(x), y) as tf.Scalar, params);
    tf.tidy(() => {
      for (const p of params) p.assign(tf.sub(p, tf.mul(grads[p.name]!, 0.05)));
    });
    losses.push(value.dataSync()[0]!);
    tf.dispose([x, y, value, ...Object.values(grads)]);
  }
  const state = Object.fromEntries(
    Object.entries(model.stateDict()).map(([k, v]) => [k, [...(v as tf.Tensor).dataSync()]] as const),
  );
  model.dispose();
  setFusedKernels(previous);
  return { losses, state };
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

    it.each([
      { name: '004 batchnorm-cnn', build: batchnormCnn, loss: crossEntropy },
      { name: '002 small-cnn', build: () => smallCnn(), loss: crossEntropy },
      {
        name: '002 with LogSoftmax + nllLoss',
        build: () => smallCnn(true),
        loss: (o: tf.Tensor, y: tf.Tensor) => nllLoss(o, y),
      },
    ])(
      '$name: 4 training steps fused and composite give the same losses, parameters and running stats',
      ({ build, loss }) => {
        const composite = train(false, build, loss, 16, 4);
        const before = tf.memory().numTensors;
        const fused = train(true, build, loss, 16, 4);
        expect(tf.memory().numTensors).toBe(before);
        expectClose(fused.losses, composite.losses, { rtol: 1e-4, what: 'losses' });
        for (const [key, value] of Object.entries(composite.state)) {
          expectClose(fused.state[key]!, value, { rtol: 1e-3, atol: 1e-5, what: key });
        }
      },
    );
  },
  { backends: ['native', 'wasm'] },
);
