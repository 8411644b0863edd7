import { describeEachBackend, expectClose, fixtureCases, type Nested, tensorOf as t } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { BatchNorm2d, ShapeError } from '../src/index';

/** A `batchnorm2d*.json` case (NHWC, channels last); x_eval goes through eval mode after the training step. */
interface BnCase {
  eps: number;
  momentum: number;
  x: Nested;
  gamma: number[];
  beta: number[];
  running_mean_before: number[];
  running_var_before: number[];
  y_train: Nested;
  upstream: Nested;
  dx: Nested;
  dgamma: number[];
  dbeta: number[];
  running_mean_after: number[];
  running_var_after: number[];
  x_eval: Nested;
  y_eval: Nested;
}

const cases = fixtureCases<BnCase>('batchnorm2d', {
  required: [
    'eps',
    'momentum',
    'x',
    'gamma',
    'beta',
    'running_mean_before',
    'running_var_before',
    'y_train',
    'upstream',
    'dx',
    'dgamma',
    'dbeta',
    'running_mean_after',
    'running_var_after',
    'x_eval',
    'y_eval',
  ],
});

function load(bn: BatchNorm2d, c: BnCase): void {
  tf.tidy(() =>
    bn.loadStateDict({
      weight: t(c.gamma),
      bias: t(c.beta),
      running_mean: t(c.running_mean_before),
      running_var: t(c.running_var_before),
      num_batches_tracked: tf.scalar(0, 'int32'),
    }),
  );
}

describeEachBackend('BatchNorm2d matches PyTorch', () => {
  it.each(cases)('$title: train output, running stats, eval output', ({ data: c }) => {
    const bn = new BatchNorm2d(c.gamma.length, { eps: c.eps, momentum: c.momentum });
    load(bn, c);
    const before = tf.memory().numTensors;
    tf.tidy(() => expectClose(bn.apply(t(c.x)), c.y_train, { what: 'y_train' }));
    expectClose(bn.runningMean, c.running_mean_after, { what: 'running_mean_after' });
    expectClose(bn.runningVar, c.running_var_after, { what: 'running_var_after' });
    expect(bn.numBatchesTracked.dataSync()[0]).toBe(1);
    bn.eval();
    tf.tidy(() => expectClose(bn.apply(t(c.x_eval)), c.y_eval, { what: 'y_eval' }));
    expect(tf.memory().numTensors).toBe(before);
    bn.dispose();
  });

  it.each(cases)('$title: gradients inside variableGrads, no leak', ({ data: c }) => {
    const bn = new BatchNorm2d(c.gamma.length, { eps: c.eps, momentum: c.momentum });
    load(bn, c);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = t(c.x);
      const up = t(c.upstream);
      const f = (input: tf.Tensor) => tf.sum(tf.mul(bn.apply(input), up)) as tf.Scalar;
      const { grads } = tf.variableGrads(() => f(x));
      expect(Object.keys(grads).sort()).toEqual([bn.bias.name, bn.weight.name].sort());
      expectClose(grads[bn.weight.name] as tf.Tensor, c.dgamma, { what: 'dgamma' });
      expectClose(grads[bn.bias.name] as tf.Tensor, c.dbeta, { what: 'dbeta' });
      expectClose(tf.grad(f)(x), c.dx, { what: 'dx' });
    });
    expect(tf.memory().numTensors).toBe(before);
    // Two training forwards happened (variableGrads and grad): stats moved twice.
    expect(bn.numBatchesTracked.dataSync()[0]).toBe(2);
    bn.dispose();
  });
});

it('uses a cumulative average when momentum is null and validates input', () => {
  const bn = new BatchNorm2d(2, { momentum: null });
  tf.tidy(() => {
    bn.apply(tf.fill([2, 1, 1, 2], 4));
    bn.apply(tf.fill([2, 1, 1, 2], 2));
  });
  expect(Array.from(bn.runningMean.dataSync())).toEqual([3, 3]);
  expect(() => bn.apply(tf.zeros([2, 3, 3, 5]))).toThrow(
    'BatchNorm2d expected 2 channels (last axis, NHWC) but the input [N, 3, 3, 5] has 5',
  );
  expect(() => bn.apply(tf.zeros([1, 1, 1, 2]))).toThrow(/needs more than 1 value per channel/);
  expect(() => bn.apply(tf.zeros([4, 2]))).toThrow(ShapeError);
  expect(() => new BatchNorm2d(2, { momentum: 2 })).toThrow('BatchNorm2d momentum must be in [0, 1] or null, got 2');
  expect(bn.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
  bn.dispose();
});
