import { describeEachBackend, expectClose, linearCases, shapeOf, tensorOf } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Linear, ShapeError } from '../src/index';

const cases = linearCases();

describeEachBackend('Linear matches PyTorch', () => {
  it.each(cases)('$title: forward, dx, dkernel, dbias', ({ data: c }) => {
    const [inF, outF] = shapeOf(c.kernel) as [number, number];
    const fc = new Linear(inF, outF);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      fc.loadStateDict({ weight: tensorOf(c.kernel), bias: tensorOf(c.bias) });
      const x = tensorOf(c.x);
      const up = tensorOf(c.upstream);
      expectClose(fc.apply(x), c.y, { what: 'y' });
      const f = (input: tf.Tensor) => tf.sum(tf.mul(fc.apply(input), up));
      expectClose(tf.grad(f)(x), c.dx, { what: 'dx' });
      const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, fc.parameters());
      expectClose(grads[fc.weight.name] as tf.Tensor, c.dkernel, { what: 'dkernel' });
      expectClose(grads[(fc.bias as tf.Variable).name] as tf.Tensor, c.dbias, { what: 'dbias' });
    });
    expect(tf.memory().numTensors).toBe(before);
    fc.dispose();
  });
});

it('explains a features mismatch with the arithmetic and a hint', () => {
  const fc = new Linear(3136, 10);
  const bad = tf.zeros([2, 7, 7, 32]);
  let err: unknown;
  try {
    fc.apply(bad);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ShapeError);
  expect((err as ShapeError).message).toBe(
    'Linear expected 3136 input features but the input is [N, 7, 7, 32] = 7*7*32 = 1568 features per sample (did you forget Flatten, or should in_features be 1568?)',
  );
  expect((err as ShapeError).inputShape).toEqual([2, 7, 7, 32]);
  expect(() => fc.apply(tf.zeros([2, 7, 7, 64]))).toThrow(/= 3136 features per sample \(flatten it first/);
  expect(() => fc.apply(tf.zeros([2, 100]))).toThrow(
    'Linear expected 3136 input features but the input is [N, 100] = 100 features per sample (should in_features be 100?)',
  );
  expect(() => fc.apply(tf.zeros([3136]))).toThrow(/add a batch dimension/);
  expect(() => new Linear(10, 0)).toThrow('Linear outFeatures must be a positive integer, got 0');
  bad.dispose();
  fc.dispose();
});

it('applies to the last axis of higher-rank input and can skip the bias', () => {
  const fc = new Linear(4, 3, { bias: false });
  expect(fc.bias).toBeNull();
  expect(fc.namedParameters().map(([n]) => n)).toEqual(['weight']);
  const y = tf.tidy(() => {
    const x = tf.ones([2, 5, 4]);
    const out = fc.apply(x);
    expect(out.shape).toEqual([2, 5, 3]);
    return tf.sub(out, tf.sum(fc.weight, 0));
  });
  expect(Math.max(...y.dataSync().map(Math.abs))).toBeLessThan(1e-6);
  y.dispose();
  fc.dispose();
});
