// Training a tutorial model with the fused layer and loss kernels (batch norm, cross-entropy,
// log-softmax + nll) gives what the composite tfjs ops give, on each backend that has them.
import { setFusedKernels } from '@cnn/kernels';
import { LogSoftmax, manualSeed, Sequential } from '@cnn/layers';
import { describeEachBackend, expectClose, randomFloats } from '@cnn/testing';
import { type LossFn, nllLoss } from '@cnn/train';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';
import { batchnormCnn, type Recipe, smallCnn } from '../src';

afterEach(() => {
  setFusedKernels(true);
});

/**
 * `steps` training steps of a fresh model on random images (plain SGD written with tfjs ops, so
 * that only the fused layer and loss kernels differ between two runs); every loss, the final state.
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

const build = (recipe: Recipe) => () => recipe.build() as Sequential;

describeEachBackend(
  'tutorial models train the same with fused and composite kernels',
  () => {
    it.each([
      { name: '004 batchnorm-cnn', build: build(batchnormCnn), loss: batchnormCnn.lossFn },
      { name: '002 small-cnn', build: build(smallCnn), loss: smallCnn.lossFn },
      {
        name: '002 ending in LogSoftmax, with nllLoss',
        build: () => new Sequential(smallCnn.build(), new LogSoftmax()),
        loss: (o: tf.Tensor, y: tf.Tensor) => nllLoss(o, y),
      },
    ])('$name: 4 steps give the same losses, parameters and running stats', ({ build, loss }) => {
      const composite = train(false, build, loss, 16, 4);
      const before = tf.memory().numTensors;
      const fused = train(true, build, loss, 16, 4);
      expect(tf.memory().numTensors).toBe(before);
      expectClose(fused.losses, composite.losses, { rtol: 1e-4, what: 'losses' });
      for (const [key, value] of Object.entries(composite.state)) {
        expectClose(fused.state[key]!, value, { rtol: 1e-3, atol: 1e-5, what: key });
      }
    });
  },
  { backends: ['native', 'wasm'] },
);
